using System.Diagnostics;
using k8s;
using static Coordinator.Benchmarks.BenchmarkSupport;

namespace Coordinator.Benchmarks.Fleet;

/// <summary>
/// The bare KubernetesClient loop: the writes the coordinator made in each cluster during the fleet run (same count per
/// cluster, by verb and resource), issued one after the other per cluster, with the same waves and the same maxParallel,
/// against the same KubeSim (namespace baseline), with nothing else running. Its time is what the fleet run's Kubernetes
/// writes cost by themselves. It is timed warm, as the silo is: until the eighth session of 2026-12-03 it was timed on its
/// first run, its client code and KubeSim's handling of its requests still being compiled: over 1,000 clusters a first
/// round takes ~1.8x the time of a warm one, which made the ratio look better than it is (docs/benchmarks.md). As the
/// fleet's measured run (<c>--warm-release</c>), its timed pass over the measured clusters is its second there.
/// </summary>
internal static class BaselineLoop
{
    /// <summary>Per-cluster writes: the coordinator's total of each (verb, resource) in namespace test, spread over the clusters exactly.</summary>
    public static IReadOnlyList<(string Verb, string Resource)>[] Scripts(FleetKubeSimReport run, int clusters, out Dictionary<string, long> unsupported)
    {
        var totals = run.Writes.Where(kv => kv.Value > 0 && kv.Key.StartsWith(FleetCommitLog.Namespace + " ", StringComparison.Ordinal))
            .Select(kv => (Parts: kv.Key.Split(' '), Count: kv.Value))
            .Select(x => (Verb: x.Parts[1], Resource: x.Parts[2], x.Count))
            .ToList();
        unsupported = totals.Where(t => !BaselineWrites.Supports(t.Verb, t.Resource)).ToDictionary(t => $"{t.Verb} {t.Resource}", t => t.Count);
        // Creates before patches before updates, resources in the order an update touches them.
        string[] verbOrder = ["create", "patch", "update"];
        var ordered = totals.Where(t => BaselineWrites.Supports(t.Verb, t.Resource))
            .OrderBy(t => Array.IndexOf(FleetKubeSim.Resources, t.Resource)).ThenBy(t => Array.IndexOf(verbOrder, t.Verb)).ToList();
        var scripts = new IReadOnlyList<(string, string)>[clusters];
        for (var i = 0; i < clusters; i++)
        {
            var script = new List<(string, string)>();
            foreach (var (verb, resource, count) in ordered)
            {
                var n = count / clusters + (i < count % clusters ? 1 : 0);
                for (var k = 0; k < n; k++) script.Add((verb, resource));
            }
            scripts[i] = script;
        }
        return scripts;
    }

    /// <summary>Untimed: a client per cluster, its connection opened and what its updates need read.</summary>
    public static async Task<BaselineWrites[]> PrepareAsync(IReadOnlyList<(string Name, string Url)> clusters, BaselineProtocol protocol, TimeSpan timeout)
    {
        var writers = clusters.Select(c => new BaselineWrites(Client(c.Url, protocol), protocol)).ToArray();
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            await Parallel.ForEachAsync(writers, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancel.Token },
                async (w, _) => await w.PrepareAsync());
            return writers;
        }
        catch
        {
            foreach (var w in writers) w.Dispose();
            throw;
        }
    }

    private static k8s.Kubernetes Client(string url, BaselineProtocol protocol)
    {
        var configuration = new KubernetesClientConfiguration { Host = url };
        return protocol == BaselineProtocol.Http2 ? new k8s.Kubernetes(configuration, new PriorKnowledgeHttp2Handler()) : new k8s.Kubernetes(configuration);
    }

    /// <summary>
    /// Untimed, as the silo's warm-up: the loop over the warm-up clusters (their namespace baseline, the scripts of the
    /// first clusters), round after round until a round compiles no more than <paramref name="warmMethods"/> methods.
    /// Returns the rounds.
    /// </summary>
    public static async Task<int> WarmUpAsync(IReadOnlyList<(string Name, string Url)> clusters, IReadOnlyList<(string Verb, string Resource)>[] scripts,
        Func<int, int> maxParallel, BaselineProtocol protocol, long warmMethods, int maxRounds, TimeSpan timeout)
    {
        if (clusters.Count == 0 || scripts.Length == 0) return 0;
        var writers = await PrepareAsync(clusters, protocol, timeout);
        try
        {
            var warmScripts = clusters.Select((_, i) => scripts[i % scripts.Length]).ToArray();
            var rounds = 0;
            for (long compiled = long.MaxValue; compiled > warmMethods && rounds < maxRounds; rounds++)
            {
                var before = System.Runtime.JitInfo.GetCompiledMethodCount();
                await RunAsync(clusters, writers, warmScripts, [[.. clusters.Select(c => c.Name)]], maxParallel, timeout);
                await Task.Delay(500); // as the silo's warm-up: a quiet moment lets the JIT count calls
                compiled = System.Runtime.JitInfo.GetCompiledMethodCount() - before;
                Log($"baseline ({protocol}) warm-up round {rounds + 1}: {compiled} methods compiled");
            }
            return rounds;
        }
        finally
        {
            foreach (var w in writers) w.Dispose();
        }
    }

    /// <summary>The timed loop: wave after wave, maxParallel clusters at a time, each cluster's writes one after the other.</summary>
    public static async Task<TimeSpan> RunAsync(IReadOnlyList<(string Name, string Url)> clusters, BaselineWrites[] writers,
        IReadOnlyList<IReadOnlyList<(string Verb, string Resource)>> scripts, IReadOnlyList<IReadOnlyList<string>> waves, Func<int, int> maxParallel, TimeSpan timeout)
    {
        var index = clusters.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i);
        using var cancel = new CancellationTokenSource(timeout);
        var clock = Stopwatch.StartNew();
        foreach (var wave in waves)
        {
            await Parallel.ForEachAsync(wave, new ParallelOptions { MaxDegreeOfParallelism = maxParallel(wave.Count), CancellationToken = cancel.Token },
                async (cluster, _) =>
                {
                    var i = index[cluster];
                    foreach (var (verb, resource) in scripts[i]) await writers[i].WriteAsync(verb, resource);
                });
        }
        Log($"baseline: {clusters.Count} clusters written in {clock.Elapsed.TotalSeconds:0.0} s");
        return clock.Elapsed;
    }
}
