using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Kubernetes.Rollouts;

namespace Coordinator.Kubernetes.Clusters;

/// <summary>
/// A request's JSON body as the UTF-8 it is sent in, written straight from the object. A string of it first (what
/// KubernetesClient's <c>KubernetesJson.Serialize</c> and <see cref="JsonNode.ToJsonString"/> give) was one more copy
/// per write, twice its size, and a transcoding: half of an update's writes are Events.
/// </summary>
internal static class RequestBody
{
    /// <summary>A KubernetesClient model, as KubernetesClient serializes it.</summary>
    public static byte[] Of<T>(T model) => JsonSerializer.SerializeToUtf8Bytes(model, KubernetesJsonOptions.Options);

    /// <summary>A JSON tree (a patch, a VirtualService), as <see cref="JsonNode.ToJsonString"/> writes it.</summary>
    public static byte[] Of(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node);
}
