using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using Coordinator.Domain.Observation;

namespace Coordinator.Domain.Hashing;

/// <summary>
/// The <c>rollouts-pod-template-hash</c> of a pod template (ROLLOUT-BEHAVIOUR §3.3).
/// </summary>
/// <remarks>
/// What is hashed: the Deployment's <c>spec.template</c> exactly as observed (the API-server-defaulted
/// PodTemplateSpec: metadata + spec), <b>without</b> the <c>rollouts-pod-template-hash</c> label (removed if present,
/// so a ReplicaSet's template hashes to its own label value), serialised by <see cref="CanonicalJson"/>.
/// Algorithm as Argo: FNV-1a 32-bit over those bytes; when <c>collisionCount</c> is set, 8 more bytes (the count as
/// little-endian uint32, then 4 zero bytes); the uint32 is printed in decimal and each digit is mapped through
/// Kubernetes' <c>rand.SafeEncodeString</c> alphabet. Result: up to 10 characters from <c>4-9 b c d f</c>.
/// Not byte-compatible with Go's encoding/json (struct field order), which a C# port cannot reproduce; hashes are
/// stable for this implementation, which is all the planner needs.
/// </remarks>
public static class PodTemplateHash
{
    private const string SafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>The hash label, left out of what is hashed.</summary>
    public static readonly CanonicalJson.Omit HashLabel = new("metadata", "labels", ReplicaSetAnnotations.PodTemplateHashLabel);

    public static string Compute(JsonObject template, int? collisionCount) =>
        Finish(CanonicalJson.WithBytes(template, HashLabel, static bytes => Fnv1a.Hash32(bytes)), collisionCount);

    /// <summary>
    /// <see cref="Compute"/> for an observed template, a tree that is never changed (<see cref="ObservedDeployment.Template"/>):
    /// a look reuses the tree while its object is unchanged, and every planner pass hashes it, so its canonical JSON is
    /// written once per tree, not once per pass (it was ~1 % of the silo's CPU in the 1,000-cluster fleet benchmark).
    /// </summary>
    public static string OfObservedTemplate(JsonObject template, int? collisionCount) =>
        Finish(ObservedTemplateHashes.GetValue(template, static t => new StrongBox<uint>(CanonicalJson.WithBytes(t, HashLabel, static bytes => Fnv1a.Hash32(bytes)))).Value,
            collisionCount);

    private static readonly ConditionalWeakTable<JsonObject, StrongBox<uint>> ObservedTemplateHashes = new();

    private static string Finish(uint hash, int? collisionCount)
    {
        if (collisionCount is { } count)
        {
            Span<byte> extra = stackalloc byte[8];
            extra.Clear();
            BitConverter.TryWriteBytes(extra[..4], (uint)count);
            if (!BitConverter.IsLittleEndian)
            {
                extra[..4].Reverse();
            }

            hash = Fnv1a.Hash32(extra, hash);
        }

        return SafeEncode(hash.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>FNV-1a over a string (used for the steps hash, §2.1 <c>currentStepHash</c>).</summary>
    public static string ComputeForText(string text) => ComputeForUtf8(Encoding.UTF8.GetBytes(text));

    /// <summary>FNV-1a over UTF-8 text, as <see cref="ComputeForText"/>.</summary>
    public static string ComputeForUtf8(ReadOnlySpan<byte> utf8) =>
        SafeEncode(Fnv1a.Hash32(utf8).ToString(CultureInfo.InvariantCulture));

    /// <summary>A deep copy of <paramref name="template"/> with the hash label removed (and empty labels kept empty).</summary>
    public static JsonObject WithoutHashLabel(JsonObject template)
    {
        var copy = (JsonObject)template.DeepClone();
        if (copy["metadata"] is JsonObject { } metadata && metadata["labels"] is JsonObject labels)
        {
            labels.Remove(ReplicaSetAnnotations.PodTemplateHashLabel);
        }

        return copy;
    }

    // k8s.io/apimachinery/pkg/util/rand.SafeEncodeString: each character maps to alphabet[c % 27].
    private static string SafeEncode(string value) =>
        string.Concat(value.Select(c => SafeAlphabet[c % SafeAlphabet.Length]));
}
