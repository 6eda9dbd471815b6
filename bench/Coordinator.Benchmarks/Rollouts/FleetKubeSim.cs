using System.Diagnostics;
using System.Globalization;
using Coordinator.KubeSim.Hosting;

namespace Coordinator.Benchmarks.Rollouts;

/// <summary>
/// KubeSim for the rollouts benchmark: <c>clusters x namespaces</c> copies of the seed, pods Ready 150 ms after
/// creation. In this process (<see cref="KubeSimPlacement.InProcess"/>), or in a child process of this program
/// (<see cref="KubeSimPlacement.Separate"/>, <c>rollouts-kubesim</c>), where the API server of a real fleet is: its
/// CPU still comes from the same cores, but its heap and garbage collections are not the silo's.
/// </summary>
internal sealed class FleetKubeSim : IAsyncDisposable
{
    private const string ChildCommand = "rollouts-kubesim";
    private readonly KubeSimServer? _server;
    private readonly Process? _process;

    private FleetKubeSim(IReadOnlyList<(string Name, string Url)> clusters, KubeSimServer? server, Process? process)
    {
        Clusters = clusters;
        _server = server;
        _process = process;
    }

    public IReadOnlyList<(string Name, string Url)> Clusters { get; }

    /// <summary>Where KubeSim in its own process writes its runtime samples (<see cref="RuntimeSampler"/>); null in this process.</summary>
    public string? RuntimeSamplesFile { get; private init; }

    /// <summary>The root of KubeSim's listener (every cluster URL is <c>BaseUrl/clusters/NAME</c>; admin endpoints under <c>/_kubesim</c>).</summary>
    public string BaseUrl => Clusters[0].Url[..Clusters[0].Url.IndexOf("/clusters/", StringComparison.Ordinal)];

    public static async Task<FleetKubeSim> StartAsync(KubeSimPlacement placement, int clusters, IReadOnlyList<string> namespaces)
    {
        if (placement == KubeSimPlacement.InProcess)
        {
            var server = await StartServerAsync(clusters, namespaces);
            return new FleetKubeSim(server.Clusters.Select(c => (c.Name, c.ServerUrl)).ToList(), server, null);
        }
        var samplesFile = Path.Combine(Path.GetTempPath(), $"rollouts-kubesim-{Environment.ProcessId}.samples");
        var start = BenchmarkChildProcess.StartInfo(redirect: true, ChildCommand, clusters.ToString(CultureInfo.InvariantCulture), string.Join(',', namespaces), samplesFile);
        KubeSimProcessEnvironment.Apply(start);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start KubeSim");
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[kubesim] {e.Data}"); };
        process.BeginErrorReadLine();
        var found = new List<(string, string)>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line && line != "ready")
        {
            var parts = line.Split(' ');
            if (parts.Length == 2) found.Add((parts[0], parts[1]));
        }
        if (found.Count != clusters)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"KubeSim started {found.Count} of {clusters} clusters");
        }
        return new FleetKubeSim(found, null, process) { RuntimeSamplesFile = samplesFile };
    }

    /// <summary>The child process: serve the seeded fleet on 127.0.0.1 until the parent closes our stdin.</summary>
    public static async Task<int> RunChildAsync(string[] args)
    {
        var clusters = int.Parse(args[0], CultureInfo.InvariantCulture);
        await using var server = await StartServerAsync(clusters, args[1].Split(','));
        using var sampler = args.Length > 2 ? new RuntimeSampler(TimeSpan.FromHours(2), args[2]) : null;
        foreach (var cluster in server.Clusters) Console.WriteLine($"{cluster.Name} {cluster.ServerUrl}");
        Console.WriteLine("ready");
        await Console.In.ReadToEndAsync();
        return 0;
    }

    public static void Register() =>
        BenchmarkCommands.Register(ChildCommand, "(internal) the rollouts benchmark's KubeSim, in its own process", RunChildAsync);

    private static async Task<KubeSimServer> StartServerAsync(int clusters, IReadOnlyList<string> namespaces)
    {
        // Watch history must cover a busy cluster between a watch's reconnects.
        var server = await KubeSimServer.StartAsync(new KubeSimOptions { PodReadyDelay = TimeSpan.FromMilliseconds(150), WatchHistoryLimit = 20_000 });
        for (var i = 0; i < clusters; i++) SeedNamespaces.Seed(server.AddCluster($"bench-{i:D4}"), namespaces);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        if (_process is null) return;
        _process.StandardInput.Close();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(10))) _process.Kill(entireProcessTree: true);
        _process.Dispose();
        if (RuntimeSamplesFile is not null) File.Delete(RuntimeSamplesFile);
    }
}

internal enum KubeSimPlacement
{
    InProcess,
    Separate,
}
