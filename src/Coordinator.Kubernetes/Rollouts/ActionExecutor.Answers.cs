using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Kubernetes.Clusters;
using Coordinator.Kubernetes.Json;
using Coordinator.Kubernetes.Watching;
using k8s;

namespace Coordinator.Kubernetes.Rollouts;

internal sealed partial class ActionExecutor
{
    /// <summary>
    /// Sends a write (as KubernetesClient's typed call would) and returns the object as the server stored it. The API
    /// server sends a write's watch event when the write commits, before its answer is on its way, so the watch cache
    /// often holds that very version already (59 % of the answers in the 1,000-cluster fleet benchmark): then the cache's
    /// copy is the answer and the answer's JSON is read only up to its resourceVersion. Otherwise it is parsed, as
    /// KubernetesClient parses it. (Parsing every answer into a model was ~5 % of the silo's CPU in that benchmark's run,
    /// docs/benchmarks.md.)
    /// </summary>
    private Task<T> WriteAsync<T>(ObjectCache<T>? cached, string name, string what, HttpMethod method, string path, byte[] body,
        string contentType, CancellationToken ct) where T : class =>
        KubernetesCalls.RunAsync(what, c => RawKubernetesRequests.WriteAsync(client, method, path, body, contentType, answer =>
            cached?.At(Ns, name, ObjectJson.ResourceVersion(answer.Span))
            ?? JsonSerializer.Deserialize<T>(answer.Span, KubernetesJsonOptions.SharedStrings)
            ?? throw new JsonException($"{what}: the API server answered null"), c), ct);

    /// <summary>A merge patch of one object of the Rollout's namespace.</summary>
    private Task<T> MergePatchAsync<T>(ObjectCache<T>? cached, string prefix, string plural, string name, string what, JsonObject patch, CancellationToken ct)
        where T : class =>
        WriteAsync(cached, name, what, HttpMethod.Patch, RawKubernetesRequests.Path(prefix, Ns, plural, name), RequestBody.Of(patch), RawKubernetesRequests.MergePatch, ct);
}
