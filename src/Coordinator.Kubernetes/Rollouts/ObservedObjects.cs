using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Domain.Ports;

namespace Coordinator.Kubernetes.Rollouts;

/// <summary>
/// The raw facts behind an observation that writes need: resourceVersions for preconditions and the
/// VirtualServices as read, so that a weight change rewrites only the weights. This gateway's token.
/// </summary>
internal sealed class ObservedObjects : AdapterToken
{
    public string? DeploymentResourceVersion { get; init; }

    /// <summary>The owner ConfigMap as observed, then as last written: its uid goes into owner references.</summary>
    public OwnerFacts? Owner { get; set; }

    /// <summary>
    /// True once the owner's uid was read from the API server itself (or written by us) during this pass. A watch cache
    /// can still hold an owner that was deleted meanwhile: a reference to that uid would have the garbage collector
    /// delete the ReplicaSet, pods and all.
    /// </summary>
    public bool OwnerConfirmed { get; set; }

    public Dictionary<string, V1ReplicaSetFacts> ReplicaSets { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string?> ServiceResourceVersions { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, IReadOnlyDictionary<string, string>> ServiceAnnotations { get; } = new(StringComparer.Ordinal);

    /// <summary>Keyed by <c>namespace/name</c>: the JSON as cached or read (shared, read-only); a write makes its own tree.</summary>
    public Dictionary<string, JsonElement> VirtualServices { get; } = new(StringComparer.Ordinal);

    /// <summary>The read-only template trees of this look, by the cached template object each was made from.</summary>
    public Dictionary<k8s.Models.V1PodTemplateSpec, JsonObject> Templates { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>The same trees, by the uid and generation of the object each template belongs to.</summary>
    public Dictionary<(string Uid, long Generation), JsonObject> TemplateVersions { get; } = new();
}

internal sealed record V1ReplicaSetFacts(string? ResourceVersion, int Replicas, IReadOnlyDictionary<string, string> Annotations)
{
    public IReadOnlyList<k8s.Models.V1OwnerReference> OwnerReferences { get; init; } = [];

    public static V1ReplicaSetFacts Of(k8s.Models.V1ReplicaSet rs) =>
        new(rs.Metadata.ResourceVersion, rs.Spec?.Replicas ?? 1, ReadOnlyViews.Of(rs.Metadata.Annotations))
        {
            // The cached object's list (never changed in place), not a copy per look.
            OwnerReferences = rs.Metadata.OwnerReferences as IReadOnlyList<k8s.Models.V1OwnerReference> ?? rs.Metadata.OwnerReferences?.ToList() ?? [],
        };
}

internal sealed record OwnerFacts(string Name, string Uid, string? ResourceVersion, IReadOnlyDictionary<string, string> Data)
{
    public static OwnerFacts Of(k8s.Models.V1ConfigMap configMap) => new(configMap.Metadata.Name, configMap.Metadata.Uid,
        configMap.Metadata.ResourceVersion, ReadOnlyViews.Of(configMap.Data));
}
