using System.Globalization;
using Coordinator.Domain.Fleet;

namespace Coordinator.Benchmarks.Fleet;

/// <summary>Who starts each cluster of a wave.</summary>
internal enum FleetDriver
{
    /// <summary>The FleetRolloutGrain (the thing measured).</summary>
    Fleet,
    /// <summary>This program, as a client-side script would: patch the Deployment, await the cluster's Rollout Healthy, next.</summary>
    Client,
}

/// <summary>Command line of the fleet benchmark.</summary>
internal sealed record FleetBenchOptions
{
    public const string Usage = """
        usage: Coordinator.Benchmarks fleet [options]
          --clusters <n>[,<n>...]  fleet sizes, one run each (default 1000,10000)
          --max-parallel <n|p%>    every wave's maxParallel (default 10%)
          --pod-ready-ms <ms>      KubeSim's delay before a new pod is Ready (default 0: the run measures the coordinator, not waiting)
          --fleet-budget <n>       Coordinator:Fleet:MaxClustersInProgress, the fleet-wide cap on clusters in progress (default 100000: waves' maxParallel decides)
          --driver <d>             fleet (the FleetRolloutGrain; default) or client (this program starts the clusters wave by wave)
          --warmup <n>             warm-up clusters outside the measured fleet: the Rollout and fleet runs over them first (until a
                                   run compiles almost nothing), so the measured run finds the silo's code optimized, as in a silo
                                   that has run before; the bare loop is warmed on them the same way (default 100; 0: cold)
          --setup-only             seed, apply the Rollout everywhere, measure setup time and the idle silo's memory, stop
          --hold <s>               after setup, keep the idle silo up this long (pid on stderr) for a heap snapshot (dotnet-gcdump)
          --hold-after-run <s>     the same after the run, before the baseline
          --no-baseline            skip the bare KubernetesClient loops (over HTTP/1.1, the ratio's, and over HTTP/2)
          --warm-release           before the measured run, the same fleet releases another image to the measured clusters
                                   (untimed): the measured run is the fleet's next release, on a silo whose code has run
                                   this very fleet (how the ratio is measured)
          --timeout <s>            bound on each phase (default 1200)
        KubeSim runs in its own process; the silo in this one (with a warm-up, this program runs again with
        DOTNET_TC_CallCountingDelayMs=0 and measures there). Prints one JSON object per measurement on stdout, a log on stderr.
        """;

    public IReadOnlyList<int> Clusters { get; init; } = [1000, 10000];
    public IntOrPercent MaxParallel { get; init; } = new(10, true);
    public int PodReadyMs { get; init; }
    public int FleetBudget { get; init; } = 100_000;
    public FleetDriver Driver { get; init; } = FleetDriver.Fleet;
    public int Warmup { get; init; } = 100;
    public bool SetupOnly { get; init; }
    public bool Baseline { get; init; } = true;
    public bool WarmRelease { get; init; }
    public TimeSpan Hold { get; init; }
    public TimeSpan HoldAfterRun { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1200);

    public static FleetBenchOptions? Parse(string[] args, out string? error)
    {
        error = null;
        var o = new FleetBenchOptions();
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value");
                int Int(string s) => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture);
                o = args[i] switch
                {
                    "--clusters" => o with { Clusters = [.. Next().Split(',').Select(Int)] },
                    "--max-parallel" => o with { MaxParallel = ParseParallel(Next()) },
                    "--pod-ready-ms" => o with { PodReadyMs = Int(Next()) },
                    "--fleet-budget" => o with { FleetBudget = Int(Next()) },
                    "--driver" => o with { Driver = Next() switch { "fleet" => FleetDriver.Fleet, "client" => FleetDriver.Client, var d => throw new FormatException($"--driver: '{d}' is not fleet or client") } },
                    "--warmup" => o with { Warmup = Int(Next()) },
                    "--setup-only" => o with { SetupOnly = true },
                    "--no-baseline" => o with { Baseline = false },
                    "--warm-release" => o with { WarmRelease = true },
                    "--hold" => o with { Hold = TimeSpan.FromSeconds(Int(Next())) },
                    "--hold-after-run" => o with { HoldAfterRun = TimeSpan.FromSeconds(Int(Next())) },
                    "--timeout" => o with { Timeout = TimeSpan.FromSeconds(Int(Next())) },
                    "--help" or "-h" => throw new FormatException(""),
                    _ => throw new FormatException($"unknown option {args[i]}"),
                };
            }
        }
        catch (FormatException ex)
        {
            error = ex.Message;
            return null;
        }
        if (o.Clusters.Any(c => c < 3)) error = "--clusters: at least 3 clusters per run";
        if (o.Warmup is < 0 or (> 0 and < 10)) error = "--warmup: 0, or at least 10 clusters (each of the three waves needs one)";
        return error is null ? o : null;
    }

    private static IntOrPercent ParseParallel(string value)
    {
        var percent = value.EndsWith('%');
        var number = int.Parse(percent ? value[..^1] : value, NumberStyles.Integer, CultureInfo.InvariantCulture);
        if (number < 1 || percent && number > 100) throw new FormatException($"--max-parallel: '{value}' is not a count >= 1 or a percentage 1-100%");
        return new IntOrPercent(number, percent);
    }
}
