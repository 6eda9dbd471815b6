using System.Diagnostics;
using Coordinator.Domain.Fleet;
using Coordinator.Grains.Fleet;
using Orleans.Storage;
using static Coordinator.Benchmarks.BenchmarkSupport;

namespace Coordinator.Benchmarks.Fleet;

/// <summary>
/// What one pass of the FleetRolloutGrain costs by itself at 1,000 and 10,000 clusters, without a silo or clusters: the
/// pure decision, the save (the run's head and the JSON of the shards that changed) and the published snapshot, over a
/// whole run of the benchmark fleet's three waves in which, between two passes, every start lands and half of the
/// clusters in progress report Healthy.
/// The fleet benchmark measures the same code inside a run; this one shows how a pass grows with the fleet.
/// </summary>
internal static class FleetPassBenchmark
{
    public static Task<int> RunAsync(string[] args)
    {
        var sizes = args.Length > 1 && args[0] == "--clusters" ? args[1].Split(',').Select(int.Parse).ToList() : [1000, 10000];
        foreach (var clusters in sizes) Measure(clusters);
        return Task.FromResult(0);
    }

    private static void Measure(int clusters)
    {
        var plan = new FleetPlan(
            [.. FleetLayout.Resolve(clusters).Select((w, i) => new PlannedWave(i switch { 0 => "canary", 1 => "europe", _ => "rest" }, w, Math.Max(1, w.Count / 10), TimeSpan.Zero, false, 0))],
            int.MaxValue);
        var spec = new FleetSpec { Rollout = new FleetRolloutRef("rollouts-demo", "test"), TemplatePatchJson = "{}", ClusterTimeout = TimeSpan.FromHours(1) };
        var grainState = new FleetRolloutGrainState();
        var storage = new CountingGrainStorage();
        var shards = new FleetRunShards(storage, GrainId.Create("fleet", "bench"), "fleetRollout");
        long commit = 0;
        var progress = new Dictionary<string, ClusterProgress>(StringComparer.Ordinal);
        var healthy = new ClusterProgress { Exists = true, Phase = "Healthy", CurrentPodHash = "new", StableHash = "new" };
        var random = new Random(7);
        var run = FleetRunState.Start(1, plan, DateTimeOffset.UtcNow);
        Abstractions.FleetSnapshot? published = null; // each snapshot takes over what did not change from the last, as the grain's
        List<double> decide = [], save = [], snapshot = [], pass = [];
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        while (!run.Finished)
        {
            var now = DateTimeOffset.UtcNow;
            var started = Stopwatch.GetTimestamp();
            var decision = FleetPlanner.Decide(plan, spec, run, progress, now, int.MaxValue);
            decide.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            run = decision.State;
            foreach (var start in decision.Actions.OfType<StartCluster>()) run = FleetOutcomes.Written(run, start.Cluster, "new", "old", now);

            var saving = Stopwatch.GetTimestamp();
            shards.WriteAsync(run, ++commit).GetAwaiter().GetResult(); // the storage below completes at once
            grainState.RunJson = FleetRunJson.Head(run);
            shards.Saved();
            save.Add(Stopwatch.GetElapsedTime(saving).TotalMilliseconds);

            var publishing = Stopwatch.GetTimestamp();
            published = FleetSnapshots.Create("bench", spec, plan, run, progress, grainState, null, now, int.MaxValue, published);
            snapshot.Add(Stopwatch.GetElapsedTime(publishing).TotalMilliseconds);
            pass.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);

            foreach (var cluster in run.Clusters)
                if (cluster is { State: FleetClusterState.Progressing, Updated: true } && random.Next(2) == 0) progress[cluster.Name] = healthy;
        }
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        Log($"fleet passes: {clusters} clusters, {pass.Count} passes in {clock.Elapsed.TotalSeconds:0.00} s, pass p50 {Percentile(pass, 50):0.00} ms p99 {Percentile(pass, 99):0.00} ms");
        Emit(new
        {
            benchmark = "fleet-passes",
            clusters,
            passes = pass.Count,
            shards = shards.Count,
            shardWrites = storage.Writes,
            shardCharsWritten = storage.Chars,
            passP50Ms = Percentile(pass, 50),
            passP99Ms = Percentile(pass, 99),
            decideP50Ms = Percentile(decide, 50),
            saveP50Ms = Percentile(save, 50),
            snapshotP50Ms = Percentile(snapshot, 50),
            cpuSeconds,
            loadAverage = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "",
        });
    }

    private static double Percentile(List<double> values, int percent)
    {
        var sorted = values.Order().ToList();
        return Math.Round(sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(sorted.Count * percent / 100.0) - 1)], 2);
    }

    /// <summary>Storage that keeps nothing: counts the shard writes and the JSON they carry.</summary>
    private sealed class CountingGrainStorage : IGrainStorage
    {
        public int Writes { get; private set; }
        public long Chars { get; private set; }

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            Writes++;
            if (grainState.State is FleetRunShardState shard) Chars += shard.ClustersJson?.Length ?? 0;
            grainState.ETag = Writes.ToString(System.Globalization.CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
            return Task.CompletedTask;
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;
    }
}
