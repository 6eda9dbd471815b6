namespace Coordinator.Abstractions;

/// <summary>
/// One pod of a Rollout's ReplicaSet as the <c>get rollout</c> tree shows it (<c>□ name  Pod  ✔ Running  40s  ready:1/1</c>).
/// Fetched on demand by <see cref="IRolloutGrain.Pods"/>; not part of <see cref="RolloutSnapshot"/>, so pods never cost the reconcile loop a read.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PodSummary
{
    [Id(0)] public string Name { get; init; } = "";
    /// <summary>The <c>rollouts-pod-template-hash</c> of the pod: which ReplicaSet of the tree it belongs under.</summary>
    [Id(1)] public string Hash { get; init; } = "";
    /// <summary>What the plugin prints as STATUS: the phase, or a reason such as ContainerCreating or Terminating.</summary>
    [Id(2)] public string Status { get; init; } = "";
    [Id(3)] public int Ready { get; init; }
    [Id(4)] public int Total { get; init; }
    [Id(5)] public int Restarts { get; init; }
    [Id(6)] public DateTimeOffset? CreatedAt { get; init; }
}
