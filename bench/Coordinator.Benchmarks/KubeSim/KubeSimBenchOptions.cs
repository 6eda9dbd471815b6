using System.Globalization;

namespace Coordinator.Benchmarks.KubeSim;

/// <summary>Where the simulated clusters run relative to the load generator.</summary>
internal enum ServerPlacement { Separate, InProcess }

/// <summary>What one request does (all on the seed's objects in namespace test).</summary>
internal enum Operation
{
    /// <summary>GET the Deployment rollouts-demo (typed V1Deployment).</summary>
    GetDeployment,
    /// <summary>Merge patch of a Deployment annotation (new value every time: a real write, new resourceVersion).</summary>
    PatchDeployment,
    /// <summary>Merge patch of a label on the Service rollouts-demo.</summary>
    PatchService,
    /// <summary>Merge patch of the VirtualService http route weights (custom object, v1).</summary>
    PatchVirtualService,
}

/// <summary>Command line of the kubesim benchmark.</summary>
internal sealed record KubeSimBenchOptions
{
    public const string Usage = """
        usage: Coordinator.Benchmarks kubesim [options]
          --clusters <n,n,...>      simulated cluster counts to load (default 1,100,1000)
          --concurrency <n,n,...>   in-flight requests to try per measurement (default 8,32,64)
          --ops <op,...>            get, patch (= patch-deployment), patch-service, patch-vs (default get,patch)
          --placement <p>           separate (KubeSim in a child process), inprocess, both (default both)
          --duration <s>            measured seconds per (placement, clusters, op, concurrency) (default 5)
          --warmup <s>              unmeasured seconds before each measurement (default 2)
          --server-warmup <s>       after a server starts, unmeasured load until its CPU per request settles
                                    (tiered JIT of both processes done), at most this long; 0 to skip (default 30)
          --max-requests <n>        stop a measurement after this many requests (default 2000000)
          --memory-clusters <n>     idle seeded clusters for the memory measurement, 0 to skip (default 1000)
          --skip-load               only the memory measurement
          --server-dll <path>       KubeSim program for --placement separate (default: next to this program;
                                    given explicitly, clusters are passed as --clusters bench-1,...)
        Prints one JSON object per measurement on stdout, a summary on stderr.
        """;

    public IReadOnlyList<int> ClusterCounts { get; init; } = [1, 100, 1000];
    public IReadOnlyList<int> Concurrencies { get; init; } = [8, 32, 64];
    public IReadOnlyList<Operation> Operations { get; init; } = [Operation.GetDeployment, Operation.PatchDeployment];
    public IReadOnlyList<ServerPlacement> Placements { get; init; } = [ServerPlacement.Separate, ServerPlacement.InProcess];
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan ServerWarmup { get; init; } = TimeSpan.FromSeconds(30);
    public long MaxRequests { get; init; } = 2_000_000;
    public int MemoryClusters { get; init; } = 1000;
    public bool SkipLoad { get; init; }
    public string? ServerDll { get; init; }

    public static KubeSimBenchOptions? Parse(string[] args, out string? error)
    {
        error = null;
        var o = new KubeSimBenchOptions();
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value");
                switch (args[i])
                {
                    case "--clusters": o = o with { ClusterCounts = Ints(Next(), 1, 100_000) }; break;
                    case "--concurrency": o = o with { Concurrencies = Ints(Next(), 1, 4096) }; break;
                    case "--ops": o = o with { Operations = Next().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ParseOp).ToList() }; break;
                    case "--placement":
                        o = o with
                        {
                            Placements = Next() switch
                            {
                                "separate" => [ServerPlacement.Separate],
                                "inprocess" => [ServerPlacement.InProcess],
                                "both" => [ServerPlacement.Separate, ServerPlacement.InProcess],
                                var p => throw new FormatException($"--placement: unknown '{p}'"),
                            },
                        };
                        break;
                    case "--duration": o = o with { Duration = Seconds(Next(), "--duration") }; break;
                    case "--warmup": o = o with { Warmup = Seconds(Next(), "--warmup") }; break;
                    case "--server-warmup": o = o with { ServerWarmup = Seconds(Next(), "--server-warmup") }; break;
                    case "--max-requests": o = o with { MaxRequests = Ints(Next(), 1, int.MaxValue)[0] }; break;
                    case "--memory-clusters": o = o with { MemoryClusters = Ints(Next(), 0, 100_000)[0] }; break;
                    case "--skip-load": o = o with { SkipLoad = true }; break;
                    case "--server-dll": o = o with { ServerDll = Next() }; break;
                    case "--help" or "-h": error = ""; return null;
                    default: throw new FormatException($"unknown option '{args[i]}'");
                }
            }
        }
        catch (FormatException e)
        {
            error = e.Message;
            return null;
        }
        return o;
    }

    private static List<int> Ints(string text, int min, int max) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s =>
            int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                ? n : throw new FormatException($"'{s}' is not an integer between {min} and {max}")).ToList();

    private static TimeSpan Seconds(string text, string flag) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s is >= 0 and <= 3600
            ? TimeSpan.FromSeconds(s) : throw new FormatException($"{flag}: '{text}' is not a number of seconds (0-3600)");

    private static Operation ParseOp(string op) => op.Trim() switch
    {
        "get" => Operation.GetDeployment,
        "patch" or "patch-deployment" => Operation.PatchDeployment,
        "patch-service" => Operation.PatchService,
        "patch-vs" => Operation.PatchVirtualService,
        _ => throw new FormatException($"--ops: unknown operation '{op}'"),
    };
}
