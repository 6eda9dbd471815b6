namespace Coordinator.Abstractions;

/// <summary>
/// The pods of a Rollout's ReplicaSets (<see cref="IRolloutGrain.Pods"/>), or why they could not be read: pods only
/// decorate the <c>get rollout</c> tree, so a failed read never fails the call, but it is reported, never hidden
/// (a ServiceAccount without <c>list pods</c> must see its RBAC error, not an empty tree).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PodList
{
    public static readonly PodList Empty = new();

    [Id(0)] public IReadOnlyList<PodSummary> Pods { get; init; } = [];

    /// <summary>Why the pods could not be listed (the API server's answer, e.g. a 403 naming the missing permission); null when they were.</summary>
    [Id(1)] public string? Error { get; init; }
}
