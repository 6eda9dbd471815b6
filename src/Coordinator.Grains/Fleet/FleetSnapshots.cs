using Coordinator.Abstractions;
using Coordinator.Domain.Fleet;

namespace Coordinator.Grains.Fleet;

/// <summary>Builds what users see of a FleetRollout: the run, every wave and cluster, and the why-waiting line.</summary>
internal static class FleetSnapshots
{
    /// <summary>
    /// The snapshot of now. Clusters whose status did not change since <paramref name="previous"/> (the last one
    /// published) keep its instances, and a wave none of whose clusters changed keeps its list: the feed keeps a run's
    /// recent snapshots for watchers, and at 10,000 clusters 64 snapshots of fresh copies were 640,000 cluster statuses,
    /// the largest part of the silo's memory after a run, when a snapshot mostly differs from the one before it in a
    /// few clusters.
    /// </summary>
    public static FleetSnapshot Create(
        string name, FleetSpec? spec, FleetPlan? plan, FleetRunState? run, IReadOnlyDictionary<string, ClusterProgress> progress,
        FleetRolloutGrainState state, string? queuedError, DateTimeOffset now, int freeSlots, FleetSnapshot? previous = null)
    {
        if (spec is null || plan is null || run is null) return new FleetSnapshot { Name = name, Exists = false, Version = state.Version };
        var message = FleetMessages.Describe(plan, run, now, freeSlots);
        if (state.QueuedSpecJson is not null) message += $"; a changed spec waits for run {run.Run + 1}, which starts when this run ends";
        if (queuedError is not null) message += $"; the changed spec could not start a new run: {queuedError}";
        return new FleetSnapshot
        {
            Name = name,
            Exists = true,
            Phase = run.Phase.ToString(),
            Message = message,
            Run = run.Run,
            RolloutName = spec.Rollout.Name,
            RolloutNamespace = spec.Rollout.Namespace,
            Change = FleetChangeSummary.Of(spec.TemplatePatchJson),
            Waves = plan.Waves.Select((wave, index) => Wave(wave, index, run, progress, PreviousWave(previous, run, wave, index))).ToList(),
            Failures = run.Failures,
            FailureBudget = plan.RunFailureBudget,
            OnFailure = spec.OnFailure.ToString().ToLowerInvariant(),
            StartedAt = run.StartedAt,
            FinishedAt = run.FinishedAt,
            NextWakeAt = state.WakeAt is { } wake && wake > now ? wake : null,
            Version = state.Version,
        };
    }

    /// <summary>
    /// Two snapshots show the same thing (ignoring the version and the next wake-up). Compared field by field, wave by
    /// wave and cluster by cluster: the fleet asks after every decision, and the JSON of a thousand clusters twice over
    /// cost more than the decision itself.
    /// </summary>
    public static bool SameView(FleetSnapshot a, FleetSnapshot b) =>
        WithoutWaves(a) == WithoutWaves(b) && a.Waves.Count == b.Waves.Count && a.Waves.Zip(b.Waves).All(w => SameWave(w.First, w.Second));

    private static FleetSnapshot WithoutWaves(FleetSnapshot s) => s with { Version = 0, NextWakeAt = null, Waves = Array.Empty<FleetWaveStatus>() };

    private static bool SameWave(FleetWaveStatus a, FleetWaveStatus b) =>
        (a with { Clusters = Array.Empty<FleetClusterStatus>() }) == (b with { Clusters = Array.Empty<FleetClusterStatus>() }) && a.Clusters.SequenceEqual(b.Clusters);

    /// <summary>The same wave of the same run in the previous snapshot, if any.</summary>
    private static FleetWaveStatus? PreviousWave(FleetSnapshot? previous, FleetRunState run, PlannedWave wave, int index) =>
        previous is { Exists: true } && previous.Run == run.Run && index < previous.Waves.Count && previous.Waves[index].Name == wave.Name
            ? previous.Waves[index]
            : null;

    private static FleetWaveStatus Wave(PlannedWave wave, int index, FleetRunState run, IReadOnlyDictionary<string, ClusterProgress> progress, FleetWaveStatus? previous)
    {
        var waveRun = run.Waves[index];
        var clusters = run.Clusters.Where(c => c.Wave == index).ToList();
        var failures = clusters.Count(c => c.State == FleetClusterState.Failed);
        return new FleetWaveStatus
        {
            Name = wave.Name,
            State = WaveState(wave, index, run, clusters, failures),
            MaxParallel = wave.MaxParallel,
            FailureBudget = wave.FailureBudget,
            Failures = failures,
            RequireApproval = wave.RequireApproval,
            ApprovedBy = waveRun.ApprovedBy,
            BakeTime = wave.BakeTime,
            BakeUntil = waveRun.BakeUntil,
            StartedAt = waveRun.StartedAt,
            FinishedAt = waveRun.FinishedAt,
            Clusters = Clusters(clusters, progress, previous?.Clusters),
        };
    }

    private static IReadOnlyList<FleetClusterStatus> Clusters(List<FleetClusterRun> clusters, IReadOnlyDictionary<string, ClusterProgress> progress, IReadOnlyList<FleetClusterStatus>? previous)
    {
        var statuses = new FleetClusterStatus[clusters.Count];
        var unchanged = previous is not null && previous.Count == clusters.Count;
        for (var i = 0; i < clusters.Count; i++)
        {
            var before = previous is not null && i < previous.Count ? previous[i] : null;
            statuses[i] = Cluster(clusters[i], progress.GetValueOrDefault(clusters[i].Name), before);
            unchanged &= ReferenceEquals(statuses[i], before);
        }
        return unchanged ? previous! : statuses;
    }

    private static string WaveState(PlannedWave wave, int index, FleetRunState run, List<FleetClusterRun> clusters, int failures)
    {
        if (clusters.Any(c => c.State == FleetClusterState.Reverting)) return "Reverting";
        if (run.Reverting && clusters.Any(c => c.State == FleetClusterState.Reverted) && !clusters.Any(c => c.Updated && c.State != FleetClusterState.Reverted))
            return "Reverted";
        if (failures > wave.FailureBudget) return "Failed";
        if (run.Waves[index].FinishedAt is not null) return "Completed";
        if (index != run.CurrentWave) return "Pending";
        return run.Phase switch
        {
            FleetRunPhase.WaitingForApproval => "WaitingForApproval",
            FleetRunPhase.Baking => "Baking",
            FleetRunPhase.Progressing => "Progressing",
            _ => "Halted",
        };
    }

    /// <summary>The cluster's status: <paramref name="previous"/> itself when it still says the same (compared without building a new one).</summary>
    private static FleetClusterStatus Cluster(FleetClusterRun cluster, ClusterProgress? progress, FleetClusterStatus? previous)
    {
        var state = cluster.State.ToString();
        var phase = progress?.Phase ?? "";
        if (previous is not null && previous.Cluster == cluster.Name && previous.State == state && previous.RolloutPhase == phase
            && previous.Step == progress?.Step && previous.StepCount == (progress?.StepCount ?? 0) && previous.Weight == (progress?.CanaryWeight ?? 0)
            && previous.Revision == (progress?.Revision ?? 0) && previous.StartedAt == cluster.StartedAt && previous.FinishedAt == cluster.FinishedAt
            && previous.FailureReason == cluster.FailureReason)
            return previous;
        return new FleetClusterStatus
        {
            Cluster = cluster.Name,
            State = state,
            RolloutPhase = phase,
            Step = progress?.Step,
            StepCount = progress?.StepCount ?? 0,
            Weight = progress?.CanaryWeight ?? 0,
            Revision = progress?.Revision ?? 0,
            StartedAt = cluster.StartedAt,
            FinishedAt = cluster.FinishedAt,
            FailureReason = cluster.FailureReason,
        };
    }
}
