namespace Coordinator.Abstractions;

/// <summary>
/// What a user sees of one Rollout in one cluster: the fields of <c>kubectl argo rollouts get
/// rollout</c> plus the ReplicaSet tree and the most recent events.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RolloutSnapshot
{
    [Id(0)] public required RolloutKey Key { get; init; }
    /// <summary>False when no Rollout was applied under this key, or it has been deleted.</summary>
    [Id(1)] public bool Exists { get; init; }
    /// <summary>True while a deletion is handing traffic back to the Deployment.</summary>
    [Id(2)] public bool Deleting { get; init; }
    [Id(3)] public string Phase { get; init; } = "";
    [Id(4)] public string Message { get; init; } = "";
    [Id(5)] public int? CurrentStepIndex { get; init; }
    [Id(6)] public int StepCount { get; init; }
    [Id(7)] public int SetWeight { get; init; }
    [Id(8)] public int ActualWeight { get; init; }
    [Id(9)] public string StableHash { get; init; } = "";
    [Id(10)] public string CurrentPodHash { get; init; } = "";
    [Id(11)] public int Revision { get; init; }
    [Id(12)] public bool Aborted { get; init; }
    [Id(13)] public bool Paused { get; init; }
    [Id(14)] public ReplicaCounts Replicas { get; init; } = new();
    [Id(15)] public IReadOnlyList<ReplicaSetSummary> ReplicaSets { get; init; } = [];
    [Id(16)] public IReadOnlyList<RolloutEventRecord> RecentEvents { get; init; } = [];
    [Id(17)] public IReadOnlyList<ConditionSummary> Conditions { get; init; } = [];
    /// <summary>Bumped on every persisted status change; lets watchers skip duplicates.</summary>
    [Id(18)] public long Version { get; init; }
    [Id(19)] public DateTimeOffset? NextWakeAt { get; init; }
    /// <summary>When the Rollout was first applied (the Rollout's age in the tree); null for rollouts applied before this was recorded.</summary>
    [Id(20)] public DateTimeOffset? CreatedAt { get; init; }
    /// <summary><c>status.restartedAt</c>: the last <c>spec.restartAt</c> whose pods were all restarted.</summary>
    [Id(21)] public DateTimeOffset? RestartedAt { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record ReplicaCounts
{
    [Id(0)] public int Desired { get; init; }
    [Id(1)] public int Current { get; init; }
    [Id(2)] public int Updated { get; init; }
    [Id(3)] public int Ready { get; init; }
    [Id(4)] public int Available { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record ReplicaSetSummary
{
    [Id(0)] public string Name { get; init; } = "";
    [Id(1)] public string Hash { get; init; } = "";
    [Id(2)] public int Revision { get; init; }
    [Id(3)] public int Desired { get; init; }
    [Id(4)] public int Ready { get; init; }
    [Id(5)] public int Available { get; init; }
    [Id(6)] public IReadOnlyList<string> Images { get; init; } = [];
    /// <summary>"stable", "canary", or both, as the kubectl plugin marks them.</summary>
    [Id(7)] public IReadOnlyList<string> Roles { get; init; } = [];
    [Id(8)] public DateTimeOffset? ScaleDownDeadline { get; init; }
    [Id(9)] public DateTimeOffset? CreatedAt { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record RolloutEventRecord(
    [property: Id(0)] DateTimeOffset Time,
    [property: Id(1)] string Type,
    [property: Id(2)] string Reason,
    [property: Id(3)] string Message);

[GenerateSerializer, Immutable]
public sealed record ConditionSummary(
    [property: Id(0)] string Type,
    [property: Id(1)] string Status,
    [property: Id(2)] string Reason,
    [property: Id(3)] string Message);
