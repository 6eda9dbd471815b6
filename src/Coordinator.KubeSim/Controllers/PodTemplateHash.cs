using System.Text;
using System.Text.Json.Nodes;
using Coordinator.KubeSim.Store;

namespace Coordinator.KubeSim.Controllers;

/// <summary>
/// The pod-template-hash label value: FNV-1a 32 of the pod template, encoded like Kubernetes'
/// rand.SafeEncodeString(fmt.Sprint(hash)). Kubernetes hashes a Go struct dump; we hash canonical JSON,
/// so values differ from a real cluster's but have the same shape and stability. The bytes are salted with the
/// type name (as a Go dump would start with it) so that the hash never equals the one a Rollout computes for
/// the same template: in a real cluster the Deployment's and the Rollout's ReplicaSet names differ too.
/// </summary>
internal static class PodTemplateHash
{
    public const string Label = "pod-template-hash";

    public static string Compute(JsonNode? template)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes("v1.PodTemplateSpec" + JsonFields.Canonical(template)))
        {
            hash ^= b;
            hash *= 16777619u;
        }
        return NameGenerator.SafeEncode(hash);
    }

    /// <summary>The template without the pod-template-hash label, to compare a ReplicaSet's template with a Deployment's.</summary>
    public static JsonNode? WithoutHashLabel(JsonNode? template)
    {
        var copy = template?.DeepClone();
        if (JsonFields.Obj(copy, "metadata", "labels") is { } labels) labels.Remove(Label);
        return copy;
    }
}
