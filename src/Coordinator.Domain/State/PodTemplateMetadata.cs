using System.Collections.Immutable;

namespace Coordinator.Domain.State;

/// <summary>
/// <c>canaryMetadata</c> / <c>stableMetadata</c> (Argo's <c>PodTemplateMetadata</c>): labels and annotations put on the
/// pods of the canary or the stable ReplicaSet only while it has that role ("ephemeral" pod metadata).
/// </summary>
public sealed record PodTemplateMetadata
{
    public static readonly PodTemplateMetadata Empty = new();

    public ImmutableDictionary<string, string> Labels { get; init; } = ImmutableDictionary<string, string>.Empty;

    public ImmutableDictionary<string, string> Annotations { get; init; } = ImmutableDictionary<string, string>.Empty;

    public bool IsEmpty => Labels.IsEmpty && Annotations.IsEmpty;

    /// <summary>Same keys and values (record equality would compare the dictionaries by reference).</summary>
    public bool SameAs(PodTemplateMetadata other) => SameMap(Labels, other.Labels) && SameMap(Annotations, other.Annotations);

    private static bool SameMap(ImmutableDictionary<string, string> a, ImmutableDictionary<string, string> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var value) && value == p.Value);
}
