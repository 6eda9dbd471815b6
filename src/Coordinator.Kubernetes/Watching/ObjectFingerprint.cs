using Coordinator.Domain.Hashing;
using k8s;
using k8s.Models;

namespace Coordinator.Kubernetes.Watching;

/// <summary>
/// What of a watched object a rollout can act on, as a 64-bit hash (see <see cref="ClusterWatch"/>): a Deployment's
/// generation (its spec) and available pods (deletion waits for them); a ReplicaSet's desired, current, ready and
/// available counts, its annotations and its owners; an owner ConfigMap's uid (the rollout writes its data itself: only
/// a new owner concerns it). Hashed field by field, without a string of the fields: this runs for every watch event.
/// </summary>
internal static class ObjectFingerprint
{
    private static readonly ulong Start = Fnv1a.Hash64("");

    /// <summary>The fingerprint, or null for a kind whose every change counts.</summary>
    public static ulong? Of(IKubernetesObject<V1ObjectMeta> obj) => obj switch
    {
        V1Deployment d => Mix(Mix(Start, d.Metadata.Generation), d.Status?.AvailableReplicas),
        V1ReplicaSet r => ReplicaSet(r),
        V1ConfigMap c => Mix(Start, c.Metadata.Uid),
        _ => null,
    };

    private static ulong ReplicaSet(V1ReplicaSet rs)
    {
        var hash = Mix(Mix(Mix(Mix(Start, rs.Spec?.Replicas), rs.Status?.Replicas), rs.Status?.ReadyReplicas), rs.Status?.AvailableReplicas);
        // The annotations in any order: the sum of each pair's own hash.
        ulong annotations = 0;
        foreach (var (key, value) in rs.Metadata.Annotations ?? EmptyAnnotations) annotations = unchecked(annotations + Mix(Mix(Start, key), value));
        hash = Mix(hash, (long)annotations);
        foreach (var owner in rs.Metadata.OwnerReferences ?? []) hash = Mix(hash, owner.Uid);
        return hash;
    }

    private static readonly Dictionary<string, string> EmptyAnnotations = [];

    private static ulong Mix(ulong hash, string? value) =>
        // A separator after each value, and a distinct one for a missing value: "a","bc" differs from "ab","c" and from null.
        value is null ? Fnv1a.Hash64("\u0001", hash) : Fnv1a.Hash64("\u0000", Fnv1a.Hash64(value, hash));

    private static ulong Mix(ulong hash, long? value)
    {
        if (value is not { } number) return Fnv1a.Hash64("\u0001", hash);
        Span<char> chars = stackalloc char[4];
        for (var i = 0; i < 4; i++) chars[i] = (char)(number >> (16 * i));
        return Fnv1a.Hash64("\u0000", Fnv1a.Hash64(chars, hash));
    }
}
