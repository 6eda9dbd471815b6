using static Coordinator.Benchmarks.BenchmarkSupport;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Coordinator.Abstractions;

namespace Coordinator.Benchmarks.Rollouts;

/// <summary>
/// Issue 3's acceptance benchmark: many seed Rollouts (setWeight 5/20/80/100 with three pauses, N = 1) taken through a
/// full update at the same time, on KubeSim, by the real grains in one silo. Reports the step lag (pause end to the
/// acknowledged VirtualService write), the Kubernetes writes per update against the sequence's minimum, and the API
/// calls an idle Healthy rollout costs per minute.
/// </summary>
internal static class RolloutsBenchmark
{
    private const string Yellow = "argoproj/rollouts-demo:yellow";
    private const int ScaleDownDelaySeconds = 5;

    /// <summary>
    /// The fewest object writes the seed update needs (N = 1): create the canary RS, scale it 0→1, switch the canary
    /// Service, four step weights (5, 20, 80, 100), switch the stable Service, weights back to 100/0, the old RS's
    /// scale-down-deadline annotation, and its scale to 0 (which drops the annotation in the same update).
    /// </summary>
    private static readonly IReadOnlyDictionary<string, int> MinimumObjectWrites = new Dictionary<string, int>
    {
        ["replicaset.create"] = 1,
        ["replicaset.scale"] = 2,
        ["replicaset.annotate"] = 1,
        ["service.selector"] = 2,
        ["virtualservice.update"] = 5,
    };

    /// <summary>The events Argo emits for this update (ROLLOUT-BEHAVIOUR §3.14, §5), including the hash-only TrafficWeightUpdated of step 8.</summary>
    private static readonly IReadOnlyDictionary<string, int> ArgoEvents = new Dictionary<string, int>
    {
        ["RolloutUpdated"] = 1, ["NewReplicaSetCreated"] = 1, ["RolloutNotCompleted"] = 1, ["ScalingReplicaSet"] = 2,
        ["SwitchService"] = 2, ["Updated VirtualService"] = 5, ["TrafficWeightUpdated"] = 6, ["RolloutStepCompleted"] = 7,
        ["RolloutPaused"] = 3, ["RolloutResumed"] = 3, ["RolloutCompleted"] = 1,
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var options = RolloutsBenchOptions.Parse(args, out var error);
        if (options is null)
        {
            if (!string.IsNullOrEmpty(error)) Console.Error.WriteLine(error);
            Console.Error.WriteLine(RolloutsBenchOptions.Usage);
            return string.IsNullOrEmpty(error) && args.Contains("--help") ? 0 : 2;
        }

        // The silo is an ASP.NET Core app and runs with server GC; this program's default is workstation GC (the KubeSim
        // benchmark's figures were taken with it), so the silo here only runs as in production with DOTNET_gcServer=1.
        if (!System.Runtime.GCSettings.IsServerGC)
            Log("warning: workstation GC; the production silo runs with server GC (set DOTNET_gcServer=1 to measure it so)");
        Log($"KubeSim ({(options.Placement == KubeSimPlacement.Separate ? "its own process" : "in this process")}) with {options.Clusters} clusters " +
            $"x {options.Namespaces} namespaces ({options.Rollouts} rollouts), one silo");
        using var neighbour = options.BackgroundLoad ? BackgroundLoad.Start() : null;
        await using var fleet = await RolloutFleet.StartAsync(options);
        var targets = fleet.Targets.ToList();
        await WaitAsync("the seed Deployments are available", options.Timeout,
            async () => (await Task.WhenAll(targets.Select(t => t.Cluster.DeploymentAvailableAsync(t.Namespace)))).All(available => available == 1));

        // Revision 1 (initial deploy): not measured, it only brings every rollout to Healthy.
        var clock = Stopwatch.StartNew();
        var manifest = Manifest(options.PauseSeconds);
        await ForEachAsync(targets, 64, t => fleet.Rollout(t.Cluster, t.Namespace).Apply(manifest));
        // Only the hashes are kept: the benchmark runs in the silo's process, whose memory it reports.
        var revision1 = (await WaitForAllAsync(fleet, targets, options.Timeout, "revision 1 healthy and selected",
            async (t, s) => s.Phase == "Healthy" && s.StableHash != ""
                            && await t.Cluster.SelectorHashAsync(t.Namespace, "rollouts-demo-canary") == s.StableHash))
            .ToDictionary(p => p.Key, p => p.Value.StableHash);
        Log($"initial deploy of {targets.Count} rollouts done in {clock.Elapsed.TotalSeconds:0.0} s");
        Emit(new
        {
            benchmark = "rollouts", measurement = "initial_deploy", rollouts = targets.Count, seconds = Math.Round(clock.Elapsed.TotalSeconds, 1),
            rollouts_per_second = Math.Round(targets.Count / clock.Elapsed.TotalSeconds, 1),
        });
        await Task.Delay(TimeSpan.FromSeconds(2)); // let the last events land before counting

        // The update: every Deployment set to yellow, spread evenly over the window, all rollouts in flight together.
        using var lag = new StepLagRecorder();
        using var runtime = new RuntimeSampler(options.Timeout);
        using var tally = new WriteTally(fleet.Counter);
        var (reads, writes, cacheLooks) = (fleet.Counter.Reads, fleet.Counter.Writes, fleet.Counter.CacheLooks);
        var gc = GcPauses.Start();
        clock.Restart();
        var updateStarted = DateTimeOffset.UtcNow;
        var updated = new Dictionary<(FleetCluster, string), DateTimeOffset>();
        for (var i = 0; i < targets.Count; i++)
        {
            var due = options.Spread * i / targets.Count;
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
            await targets[i].Cluster.SetImageAsync(targets[i].Namespace, Yellow);
            updated[targets[i]] = DateTimeOffset.UtcNow;
        }
        // No rollout can be done before its three pauses have passed: the benchmark does not look at it before then.
        var pauses = TimeSpan.FromSeconds(3 * options.PauseSeconds);
        await WaitForAllAsync(fleet, targets, options.Timeout, "revision 2 healthy, traffic on it, revision 1 scaled down",
            MeasuredPoll with { NotBefore = t => updated[t] + pauses },
            async (t, s) => s.Phase == "Healthy" && s.Revision == 2 && s.StableHash == s.CurrentPodHash
                            // what the Rollout reports first, the cluster only then: each look at it is a read and its
                            // objects, allocated in the silo's process while steps are measured
                            && s.ReplicaSets.All(rs => rs.Hash == s.StableHash || rs.Desired == 0)
                            && await t.Cluster.SelectorHashAsync(t.Namespace, "rollouts-demo") == s.StableHash
                            && await t.Cluster.ReplicasAsync(t.Namespace, $"{RolloutFleet.Deployment}-{revision1[t]}") == 0);
        var updateTime = clock.Elapsed;
        var gcDuringUpdate = gc.Stop();
        await Task.Delay(TimeSpan.FromSeconds(2)); // the scale-down's event follows its write
        var updateReads = fleet.Counter.Reads - reads;
        var updateAttempts = fleet.Counter.Writes - writes;
        ReportUpdate(options, targets.Count, updateTime, lag.Values, tally, updateReads, updateAttempts, fleet.Counter.CacheLooks - cacheLooks, gcDuringUpdate);
        LateSteps.Report(lag.Samples, runtime, fleet.KubeSimRuntime(), [.. Polls], updateStarted);
        await SiloResources.ReportAsync(fleet, targets.Count, options.Placement);

        if (options.Soak > TimeSpan.Zero)
        {
            // The measured update's recorders stop here: they live in the silo's process, and what they kept on
            // recording (every step's lag, a runtime sample every 100 ms, every poll) grew the live memory the soak
            // measures by ~1 MiB/min of the benchmark's own (docs/benchmarks.md, fifth session of 2026-12-02).
            lag.Dispose();
            runtime.Dispose();
            Polls.Clear();
            await RolloutSoak.RunAsync(fleet, targets, options.Soak, options.Timeout, revision: 2,
                async (f, t, timeout, what, done) => await WaitForAllAsync(f, t, timeout, what, done));
            // A soak round ends when its rollouts are Healthy; the old ReplicaSets' scale-downs (and their events) follow
            // after the scale-down delay and must not be counted as the idle rollouts' writes.
            await Task.Delay(TimeSpan.FromSeconds(ScaleDownDelaySeconds + 2));
        }

        // Idle: Healthy rollouts, reminders ticking every minute, nothing changing in the clusters.
        if (options.Idle <= TimeSpan.Zero) return 0;
        (reads, writes) = (fleet.Counter.Reads, fleet.Counter.Writes);
        Log($"idling {options.Idle.TotalSeconds:0} s");
        await Task.Delay(options.Idle);
        ReportIdle(targets.Count, options.Idle, fleet.Counter.Reads - reads, fleet.Counter.Writes - writes);
        return 0;
    }

    private static void ReportUpdate(RolloutsBenchOptions options, int rollouts, TimeSpan updateTime, IReadOnlyList<double> lags,
        WriteTally tally, long reads, long writeAttempts, long cacheLooks, GcPauses gc)
    {
        var sorted = lags.Order().ToList();
        var (p50, p99, max) = (StepLagRecorder.Percentile(sorted, 50), StepLagRecorder.Percentile(sorted, 99), sorted.LastOrDefault());
        Emit(new
        {
            benchmark = "rollouts", measurement = "step_lag_ms", rollouts, samples = sorted.Count, expected_samples = rollouts * 3,
            p50 = Math.Round(p50, 1), p99 = Math.Round(p99, 1), max = Math.Round(max, 1), target_p99 = 100, pass = p99 <= 100,
            pause_s = options.PauseSeconds, spread_s = options.Spread.TotalSeconds,
            kubesim = options.Placement == KubeSimPlacement.Separate ? "separate" : "inprocess",
            silo_gc = System.Runtime.GCSettings.IsServerGC ? "server" : "workstation",
            silo_gc_pause_ms = Math.Round(gc.PauseTotal.TotalMilliseconds), silo_gcs = gc.Collections,
            silo_gc_mean_pause_ms = Math.Round(gc.MeanPauseMs, 1), silo_allocated_mib = Math.Round(gc.Allocated / 1048576.0),
            silo_allocated_kib_per_update = Math.Round(gc.Allocated / 1024.0 / Math.Max(1, rollouts), 1),
            background_load = options.BackgroundLoad,
            load_average = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "",
        });
        Log($"step lag over {sorted.Count} pause ends: p50 {p50:0.0} ms, p99 {p99:0.0} ms, max {max:0.0} ms (target p99 <= 100 ms)");

        var perOperation = tally.ByOperation.OrderBy(p => p.Key).ToDictionary(p => p.Key, p => Math.Round((double)p.Value / rollouts, 2));
        var objectsPerUpdate = (double)tally.Objects / rollouts;
        var minimum = MinimumObjectWrites.Values.Sum();
        Emit(new
        {
            benchmark = "rollouts", measurement = "writes_per_update", rollouts, object_writes = Math.Round(objectsPerUpdate, 2),
            minimum_object_writes = minimum, extra = Math.Round(objectsPerUpdate - minimum, 2), pass = tally.Objects == minimum * rollouts,
            event_writes = Math.Round((double)tally.Events / rollouts, 2), argo_events = ArgoEvents.Values.Sum(),
            owner_status_writes = Math.Round((double)tally.OwnerStatus / rollouts, 2),
            attempts = Math.Round((double)writeAttempts / rollouts, 2), reads = Math.Round((double)reads / rollouts, 1),
            looks_from_watch_cache = Math.Round((double)cacheLooks / rollouts, 1),
            by_operation = perOperation,
            events_by_reason = tally.EventsByReason.OrderBy(p => p.Key).ToDictionary(p => p.Key, p => Math.Round((double)p.Value / rollouts, 2)),
            update_seconds = Math.Round(updateTime.TotalSeconds, 1),
        });
        Log($"writes per update: {objectsPerUpdate:0.00} object writes (minimum {minimum}), {(double)tally.OwnerStatus / rollouts:0.00} owner ConfigMap status writes, {(double)tally.Events / rollouts:0.00} events " +
            $"(Argo: {ArgoEvents.Values.Sum()}), {(double)writeAttempts / rollouts:0.00} attempts, {(double)reads / rollouts:0.0} reads; " +
            $"all {rollouts} updates done in {updateTime.TotalSeconds:0.0} s");
        foreach (var (operation, count) in perOperation)
            Log($"  {operation,-24} {count,6:0.00}  (minimum {MinimumObjectWrites.GetValueOrDefault(operation).ToString(CultureInfo.InvariantCulture)})");
    }

    private static void ReportIdle(int rollouts, TimeSpan idle, long reads, long writes)
    {
        var minutes = idle.TotalMinutes * rollouts;
        var (readsPerMinute, writesPerMinute) = (reads / minutes, writes / minutes);
        Emit(new
        {
            benchmark = "rollouts", measurement = "idle_calls_per_rollout_minute", rollouts, idle_s = idle.TotalSeconds,
            reads = Math.Round(readsPerMinute, 3), writes = Math.Round(writesPerMinute, 3), pass = writes == 0 && readsPerMinute <= 1,
        });
        Log($"idle: {readsPerMinute:0.000} reads and {writesPerMinute:0.000} writes per rollout per minute (target: 0 writes, <= 1 read)");
    }

    /// <summary>The seed Rollout with short pauses and a 5 s scale-down delay, so that a full update takes seconds.</summary>
    private static string Manifest(int pauseSeconds)
    {
        var seed = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Seed", "rollout.yaml"));
        return seed.Replace("duration: 30s", $"duration: {pauseSeconds}s")
            .Replace("    canary:\n", $"    canary:\n      scaleDownDelaySeconds: {ScaleDownDelaySeconds}\n");
    }

    /// <summary>The benchmark's own look at every rollout (a snapshot each, through the Orleans client), when it waits.</summary>
    private sealed record Poll(TimeSpan Every, int Concurrency)
    {
        /// <summary>When a target is first worth a look; until then the poll leaves it out.</summary>
        public Func<(FleetCluster Cluster, string Namespace), DateTimeOffset>? NotBefore { get; init; }
    }

    private static readonly Poll SetupPoll = new(TimeSpan.FromMilliseconds(500), 128);

    /// <summary>
    /// While step lag is measured, the benchmark looks gently: every 0.5 s with 128 at a time it asked 1,000 grains for
    /// 1,000 serialized snapshots in ~0.35 s bursts, 40 % of the update, and steps late by 100-300 ms fell into those
    /// bursts (docs/benchmarks.md). The update's duration is known to 2 s, and a rollout is looked at only once its
    /// pauses have passed (<see cref="Poll.NotBefore"/>): each look is a snapshot serialized in the silo's process.
    /// </summary>
    private static readonly Poll MeasuredPoll = new(TimeSpan.FromSeconds(2), 8);

    /// <summary>When the benchmark's looks ran (start, end, rollouts asked): <see cref="LateSteps"/> shows a late step's overlap.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentQueue<(DateTimeOffset Start, DateTimeOffset End, int Rollouts)> Polls = new();

    /// <summary>Polls the grains (and the cluster) until every target satisfies <paramref name="done"/>; returns the satisfying snapshots.</summary>
    private static Task<Dictionary<(FleetCluster Cluster, string Namespace), RolloutSnapshot>> WaitForAllAsync(
        RolloutFleet fleet, IReadOnlyList<(FleetCluster Cluster, string Namespace)> targets, TimeSpan timeout, string what,
        Func<(FleetCluster Cluster, string Namespace), RolloutSnapshot, Task<bool>> done) =>
        WaitForAllAsync(fleet, targets, timeout, what, SetupPoll, done);

    private static async Task<Dictionary<(FleetCluster Cluster, string Namespace), RolloutSnapshot>> WaitForAllAsync(
        RolloutFleet fleet, IReadOnlyList<(FleetCluster Cluster, string Namespace)> targets, TimeSpan timeout, string what, Poll poll,
        Func<(FleetCluster Cluster, string Namespace), RolloutSnapshot, Task<bool>> done)
    {
        var result = new Dictionary<(FleetCluster, string), RolloutSnapshot>();
        var pending = targets.ToList();
        var deadline = Stopwatch.StartNew();
        while (pending.Count > 0)
        {
            if (deadline.Elapsed > timeout) throw new TimeoutException($"{pending.Count} rollouts did not reach: {what}");
            var pollStart = DateTimeOffset.UtcNow;
            var due = poll.NotBefore is { } notBefore ? pending.Where(t => notBefore(t) <= pollStart).ToList() : pending;
            var snapshots = new RolloutSnapshot[due.Count];
            await ForEachAsync(Enumerable.Range(0, due.Count), poll.Concurrency, async i => snapshots[i] = await fleet.Rollout(due[i].Cluster, due[i].Namespace).Get());
            if (due.Count > 0) Polls.Enqueue((pollStart, DateTimeOffset.UtcNow, due.Count));
            var finished = new HashSet<(FleetCluster, string)>();
            for (var i = 0; i < due.Count; i++)
            {
                if (!await done(due[i], snapshots[i])) continue;
                result[due[i]] = snapshots[i];
                finished.Add(due[i]);
            }
            pending = pending.Where(t => !finished.Contains(t)).ToList();
            if (pending.Count > 0) await Task.Delay(poll.Every);
        }
        return result;
    }
}
