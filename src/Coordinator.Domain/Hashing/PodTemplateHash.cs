using System.Globalization;
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

    public static string Compute(JsonObject template, int? collisionCount)
    {
        var bytes = Encoding.UTF8.GetBytes(CanonicalJson.Serialize(WithoutHashLabel(template)));
        var hash = Fnv1a32(2166136261u, bytes);
        if (collisionCount is { } count)
        {
            var extra = new byte[8];
            BitConverter.TryWriteBytes(extra.AsSpan(0, 4), (uint)count);
            if (!BitConverter.IsLittleEndian)
            {
                Array.Reverse(extra, 0, 4);
            }

            hash = Fnv1a32(hash, extra);
        }

        return SafeEncode(hash.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>FNV-1a over a string (used for the steps hash, §2.1 <c>currentStepHash</c>).</summary>
    public static string ComputeForText(string text) =>
        SafeEncode(Fnv1a32(2166136261u, Encoding.UTF8.GetBytes(text)).ToString(CultureInfo.InvariantCulture));

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

    private static uint Fnv1a32(uint hash, byte[] bytes)
    {
        foreach (var b in bytes)
        {
            hash ^= b;
            hash *= 16777619u;
        }

        return hash;
    }

    // k8s.io/apimachinery/pkg/util/rand.SafeEncodeString: each character maps to alphabet[c % 27].
    private static string SafeEncode(string value) =>
        string.Concat(value.Select(c => SafeAlphabet[c % SafeAlphabet.Length]));
}
