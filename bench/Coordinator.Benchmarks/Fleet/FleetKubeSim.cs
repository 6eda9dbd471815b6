using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Coordinator.KubeSim.Hosting;

namespace Coordinator.Benchmarks.Fleet;

/// <summary>
/// The fleet benchmark's KubeSim, always in its own process (<c>fleet-kubesim</c>), so that the benchmark process's
/// memory is the silo's: N clusters, each with the seed in namespace test (the fleet's Rollout) and a copy in namespace
/// baseline (the bare KubernetesClient loop's). It records the run from its side (<see cref="FleetCommitLog"/>) and
/// answers commands on stdin: <c>mark</c>, <c>report PATH</c> (JSON: per-cluster times and the API writes per namespace
/// since the mark); end of stdin stops it.
/// </summary>
internal sealed class FleetKubeSim : IAsyncDisposable
{
    private const string ChildCommand = "fleet-kubesim";
    public const string BaselineNamespace = "baseline";
    public static readonly string[] WriteVerbs = ["create", "update", "patch", "delete"];
    public static readonly string[] Resources = ["deployments", "replicasets", "services", "virtualservices", "configmaps", "events", "pods", "namespaces"];

    private readonly Process _process;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private FleetKubeSim(Process process, IReadOnlyList<(string Name, string Url)> clusters, IReadOnlyList<(string Name, string Url)> warmup, TimeSpan startup)
    {
        _process = process;
        Clusters = clusters;
        WarmupClusters = warmup;
        Startup = startup;
    }

    /// <summary>The measured fleet.</summary>
    public IReadOnlyList<(string Name, string Url)> Clusters { get; }

    /// <summary>The warm-up clusters, outside the measured fleet (<see cref="FleetLayout"/>).</summary>
    public IReadOnlyList<(string Name, string Url)> WarmupClusters { get; }

    /// <summary>From process start to every cluster seeded and settled (pods Ready, controllers idle).</summary>
    public TimeSpan Startup { get; }

    public int ProcessId => _process.Id;

    public static async Task<FleetKubeSim> StartAsync(int clusters, int warmup, int podReadyMs, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var start = BenchmarkChildProcess.StartInfo(redirect: true, ChildCommand, clusters.ToString(CultureInfo.InvariantCulture),
            podReadyMs.ToString(CultureInfo.InvariantCulture), warmup.ToString(CultureInfo.InvariantCulture));
        KubeSimProcessEnvironment.Apply(start);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start KubeSim");
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[kubesim] {e.Data}"); };
        process.BeginErrorReadLine();
        var found = new List<(string, string)>();
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            while (await process.StandardOutput.ReadLineAsync(cancel.Token) is { } line && line != "ready")
            {
                var parts = line.Split(' ');
                if (parts.Length == 2) found.Add((parts[0], parts[1]));
            }
            if (found.Count != clusters + warmup) throw new InvalidOperationException($"KubeSim started {found.Count} of {clusters + warmup} clusters");
        }
        catch
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
        return new FleetKubeSim(process, found[..clusters], found[clusters..], clock.Elapsed);
    }

    public Task MarkAsync() => CommandAsync("mark", "marked");

    public async Task<FleetKubeSimReport> ReportAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fleet-kubesim-{Guid.NewGuid():N}.json");
        try
        {
            await CommandAsync($"report {path}", "reported");
            await using var file = File.OpenRead(path);
            return (await JsonSerializer.DeserializeAsync<FleetKubeSimReport>(file))!;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The KubeSim process's working set, for the record.</summary>
    public long WorkingSetBytes()
    {
        _process.Refresh();
        return _process.WorkingSet64;
    }

    /// <summary>CPU time the KubeSim process has used so far.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    private async Task CommandAsync(string command, string reply)
    {
        await _gate.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync(command);
            await _process.StandardInput.FlushAsync();
            using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var line = await _process.StandardOutput.ReadLineAsync(cancel.Token);
            if (line != reply) throw new InvalidOperationException($"KubeSim answered '{line}' to '{command}'");
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The child process.</summary>
    private static async Task<int> RunChildAsync(string[] args)
    {
        var count = int.Parse(args[0], CultureInfo.InvariantCulture);
        var podReady = TimeSpan.FromMilliseconds(int.Parse(args[1], CultureInfo.InvariantCulture));
        var warmup = int.Parse(args[2], CultureInfo.InvariantCulture);
        // Watch history must cover a busy cluster between a watch's reconnects.
        await using var server = await KubeSimServer.StartAsync(new KubeSimOptions { PodReadyDelay = podReady, WatchHistoryLimit = 2_000 });
        var clusters = new List<SimCluster>(count + warmup);
        foreach (var name in Enumerable.Range(0, count).Select(FleetLayout.ClusterName).Concat(Enumerable.Range(0, warmup).Select(FleetLayout.WarmupClusterName)))
        {
            var cluster = server.AddCluster(name, FleetLayout.Labels(name));
            SeedNamespaces.Seed(cluster, [FleetCommitLog.Namespace, BaselineNamespace]);
            clusters.Add(cluster);
        }
        foreach (var cluster in clusters) await cluster.WhenControllersIdleAsync();
        var log = new FleetCommitLog(clusters);
        Dictionary<string, long> writesAtMark = [];
        foreach (var cluster in clusters) Console.WriteLine($"{cluster.Name} {cluster.ServerUrl}");
        Console.WriteLine("ready");
        while (await Console.In.ReadLineAsync() is { } command)
        {
            if (command == "mark")
            {
                log.Mark();
                writesAtMark = Writes(clusters);
                Console.WriteLine("marked");
            }
            else if (command.StartsWith("report ", StringComparison.Ordinal))
            {
                var writes = Writes(clusters);
                var report = new FleetKubeSimReport(log.Report(),
                    writes.ToDictionary(kv => kv.Key, kv => kv.Value - writesAtMark.GetValueOrDefault(kv.Key)));
                await File.WriteAllTextAsync(command["report ".Length..], JsonSerializer.Serialize(report));
                Console.WriteLine("reported");
            }
        }
        return 0;
    }

    /// <summary>API writes answered so far, summed over the clusters, keyed "namespace verb resource".</summary>
    private static Dictionary<string, long> Writes(IReadOnlyList<SimCluster> clusters)
    {
        var writes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var ns in (string[])[FleetCommitLog.Namespace, BaselineNamespace])
            foreach (var verb in WriteVerbs)
                foreach (var resource in Resources)
                {
                    var n = clusters.Sum(c => c.Requests.InNamespace(verb, ns, resource));
                    if (n > 0) writes[$"{ns} {verb} {resource}"] = n;
                }
        foreach (var verb in WriteVerbs) writes[$"* {verb} *"] = clusters.Sum(c => c.Requests.Count(verb));
        return writes;
    }

    public static void Register() =>
        BenchmarkCommands.Register(ChildCommand, "(internal) the fleet benchmark's KubeSim, in its own process", RunChildAsync);

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }
        if (!_process.WaitForExit(TimeSpan.FromSeconds(20))) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _gate.Dispose();
    }
}

/// <summary>What the KubeSim process reports: per-cluster times since the mark, and the API writes since the mark.</summary>
internal sealed record FleetKubeSimReport(IReadOnlyList<FleetClusterTimes> Clusters, Dictionary<string, long> Writes);
