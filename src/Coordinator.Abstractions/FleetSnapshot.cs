namespace Coordinator.Abstractions;

/// <summary>What a user sees of one FleetRollout: the run's phase, the plain why-waiting line, and every wave and cluster.</summary>
[GenerateSerializer, Immutable]
public sealed record FleetSnapshot
{
    [Id(0)] public required string Name { get; init; }
    /// <summary>False when no FleetRollout was applied under this name, or it has been deleted.</summary>
    [Id(1)] public bool Exists { get; init; }
    /// <summary>Progressing, WaitingForApproval, Baking, Halted, Reverting, Reverted, Completed, Aborted or Failed.</summary>
    [Id(2)] public string Phase { get; init; } = "";
    /// <summary>One plain line: why the run waits or how it ended, e.g.
    /// <c>wave europe: 3 of 8 clusters Healthy, 2 in progress (maxParallel 2), baking until 12:04:10</c>.</summary>
    [Id(3)] public string Message { get; init; } = "";
    /// <summary>Which run of this FleetRollout (1, 2, ...): a changed spec starts a new run.</summary>
    [Id(4)] public int Run { get; init; }
    [Id(5)] public string RolloutName { get; init; } = "";
    [Id(6)] public string RolloutNamespace { get; init; } = "";
    /// <summary>The change in short, e.g. <c>rollouts-demo=argoproj/rollouts-demo:yellow</c>.</summary>
    [Id(7)] public string Change { get; init; } = "";
    [Id(8)] public IReadOnlyList<FleetWaveStatus> Waves { get; init; } = [];
    [Id(9)] public int Failures { get; init; }
    /// <summary>The run's failure budget resolved to a count; <see cref="int.MaxValue"/> when unlimited.</summary>
    [Id(10)] public int FailureBudget { get; init; }
    [Id(11)] public string OnFailure { get; init; } = "";
    [Id(12)] public DateTimeOffset? StartedAt { get; init; }
    [Id(13)] public DateTimeOffset? FinishedAt { get; init; }
    [Id(14)] public DateTimeOffset? NextWakeAt { get; init; }
    /// <summary>Bumped on every persisted change; lets watchers skip duplicates.</summary>
    [Id(15)] public long Version { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record FleetWaveStatus
{
    [Id(0)] public string Name { get; init; } = "";
    /// <summary>Pending, WaitingForApproval, Progressing, Baking, Completed, Failed, Halted, Reverting or Reverted.</summary>
    [Id(1)] public string State { get; init; } = "";
    [Id(2)] public int MaxParallel { get; init; }
    [Id(3)] public int FailureBudget { get; init; }
    [Id(4)] public int Failures { get; init; }
    [Id(5)] public bool RequireApproval { get; init; }
    /// <summary>Who approved the wave, when it needed approval and got it.</summary>
    [Id(6)] public string ApprovedBy { get; init; } = "";
    [Id(7)] public TimeSpan BakeTime { get; init; }
    [Id(8)] public DateTimeOffset? BakeUntil { get; init; }
    [Id(9)] public DateTimeOffset? StartedAt { get; init; }
    [Id(10)] public DateTimeOffset? FinishedAt { get; init; }
    [Id(11)] public IReadOnlyList<FleetClusterStatus> Clusters { get; init; } = [];
}

[GenerateSerializer, Immutable]
public sealed record FleetClusterStatus
{
    [Id(0)] public string Cluster { get; init; } = "";
    /// <summary>Pending, Progressing, Healthy, Failed, Skipped, Aborted, Reverting or Reverted.</summary>
    [Id(1)] public string State { get; init; } = "";
    /// <summary>The cluster's Rollout phase as last reported (Progressing, Paused, Healthy, Degraded).</summary>
    [Id(2)] public string RolloutPhase { get; init; } = "";
    /// <summary>Current step index (0-based) of the cluster's Rollout; null before it started or after it finished.</summary>
    [Id(3)] public int? Step { get; init; }
    [Id(4)] public int StepCount { get; init; }
    /// <summary>The canary's VirtualService weight.</summary>
    [Id(5)] public int Weight { get; init; }
    [Id(6)] public int Revision { get; init; }
    [Id(7)] public DateTimeOffset? StartedAt { get; init; }
    [Id(8)] public DateTimeOffset? FinishedAt { get; init; }
    /// <summary>Why the cluster failed (or was skipped), in plain words; empty otherwise.</summary>
    [Id(9)] public string FailureReason { get; init; } = "";
}

/// <summary>What a FleetRollout would do: its waves in order with their resolved clusters, and how long it should take.</summary>
[GenerateSerializer, Immutable]
public sealed record FleetPlanPreview
{
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public IReadOnlyList<FleetPlanWave> Waves { get; init; } = [];
    /// <summary>From the Rollout's steps and pauses, the bake times and maxParallel; without approvals' waiting.</summary>
    [Id(2)] public TimeSpan EstimatedDuration { get; init; }
    [Id(3)] public int FailureBudget { get; init; }
    /// <summary>Things worth knowing that are not errors (a cluster unreachable now, a wave waiting for approval).</summary>
    [Id(4)] public IReadOnlyList<string> Notes { get; init; } = [];
}

[GenerateSerializer, Immutable]
public sealed record FleetPlanWave
{
    [Id(0)] public string Name { get; init; } = "";
    [Id(1)] public IReadOnlyList<string> Clusters { get; init; } = [];
    [Id(2)] public int MaxParallel { get; init; }
    [Id(3)] public TimeSpan BakeTime { get; init; }
    [Id(4)] public bool RequireApproval { get; init; }
    [Id(5)] public int FailureBudget { get; init; }
    [Id(6)] public TimeSpan EstimatedDuration { get; init; }
}
