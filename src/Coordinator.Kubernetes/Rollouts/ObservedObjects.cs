using System.Text.Json.Nodes;

namespace Coordinator.Kubernetes.Rollouts;

/// <summary>
/// The raw facts behind an observation that writes need: resourceVersions for preconditions and the
/// VirtualServices as read, so that a weight change rewrites only the weights.
/// </summary>
internal sealed class ObservedObjects
{
    public string? DeploymentResourceVersion { get; init; }

    public Dictionary<string, V1ReplicaSetFacts> ReplicaSets { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string?> ServiceResourceVersions { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, IReadOnlyDictionary<string, string>> ServiceAnnotations { get; } = new(StringComparer.Ordinal);

    /// <summary>Keyed by <c>namespace/name</c>.</summary>
    public Dictionary<string, JsonObject> VirtualServices { get; } = new(StringComparer.Ordinal);
}

internal sealed record V1ReplicaSetFacts(string? ResourceVersion, int Replicas, IReadOnlyDictionary<string, string> Annotations);
