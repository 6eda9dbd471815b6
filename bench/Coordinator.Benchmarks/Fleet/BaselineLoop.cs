using System.Diagnostics;
using k8s;
using static Coordinator.Benchmarks.BenchmarkSupport;

namespace Coordinator.Benchmarks.Fleet;

/// <summary>
/// The bare KubernetesClient loop: the writes the coordinator made in each cluster during the fleet run (same count per
/// cluster, by verb and resource), issued one after the other per cluster, with the same waves and the same maxParallel,
/// against the same KubeSim (namespace baseline), with nothing else running. Its time is what the fleet run's Kubernetes
/// writes cost by themselves.
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
    public static async Task<BaselineWrites[]> PrepareAsync(IReadOnlyList<(string Name, string Url)> clusters, TimeSpan timeout)
    {
        var writers = clusters.Select(c => new BaselineWrites(new k8s.Kubernetes(new KubernetesClientConfiguration { Host = c.Url }))).ToArray();
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
