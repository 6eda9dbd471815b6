using System.Buffers;
using System.Net.Http.Headers;
using k8s;
using k8s.Autorest;

namespace Coordinator.Kubernetes.Clusters;

/// <summary>
/// Requests sent the way KubernetesClient sends its own (the cluster client's base URL, credentials and HTTP pipeline:
/// resilience, telemetry, transport; HTTP/2; a failure as its <see cref="HttpOperationException"/>), for answers that are
/// read as something other than one of its typed models: a watch's stream, a write whose answer the watch cache
/// already holds (<c>ActionExecutor.Answers.cs</c>), an Event whose echo nothing reads.
/// </summary>
internal static class RawKubernetesRequests
{
    public const string Json = "application/json";
    public const string MergePatch = "application/merge-patch+json";

    /// <summary>
    /// A request to the cluster, with a JSON body (UTF-8, see <see cref="RequestBody"/>) when given: a create, a replace,
    /// a patch of that content type.
    /// </summary>
    public static HttpRequestMessage Create(IKubernetes client, HttpMethod method, string path, byte[]? body = null, string contentType = Json)
    {
        var request = new HttpRequestMessage(method, new Uri(Kubernetes(client).BaseUri, path)) { Version = System.Net.HttpVersion.Version20 };
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType) { CharSet = "utf-8" };
        }
        return request;
    }

    /// <summary>
    /// Sends <paramref name="request"/>; a status that is not a success is thrown as KubernetesClient throws it (the
    /// answer's body in it, for the Status message), and the response is disposed then.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(IKubernetes client, HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct)
    {
        var kubernetes = Kubernetes(client);
        if (kubernetes.Credentials is { } credentials) await credentials.ProcessHttpRequestAsync(request, ct);
        var response = await kubernetes.HttpClient.SendAsync(request, completion, ct);
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var content = await response.Content.ReadAsStringAsync(ct);
            throw new HttpOperationException($"Operation returned an invalid status code '{response.StatusCode}'")
            {
                // The body, never the headers (where the bearer token is).
                Request = new HttpRequestMessageWrapper(request, ""),
                Response = new HttpResponseMessageWrapper(response, content),
            };
        }
    }

    /// <summary>
    /// Sends a write and gives the answer's bytes (the object as the server stored it) to <paramref name="read"/>. They are
    /// valid during the call only: a pooled copy of the body the pipeline buffered, not an array of its own per answer.
    /// </summary>
    public static async Task<T> WriteAsync<T>(IKubernetes client, HttpMethod method, string path, byte[] body, string contentType,
        Func<ReadOnlyMemory<byte>, T> read, CancellationToken ct)
    {
        using var request = Create(client, method, path, body, contentType);
        using var response = await SendAsync(client, request, HttpCompletionOption.ResponseContentRead, ct);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        if (!stream.CanSeek) return read(await response.Content.ReadAsByteArrayAsync(ct));
        var length = checked((int)stream.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            await stream.ReadExactlyAsync(buffer.AsMemory(0, length), ct);
            return read(buffer.AsMemory(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Sends a write whose answer nothing reads (its body is received, so the stream ends cleanly, and dropped).</summary>
    public static async Task SendAsync(IKubernetes client, HttpMethod method, string path, byte[] body, CancellationToken ct)
    {
        using var request = Create(client, method, path, body);
        using var response = await SendAsync(client, request, HttpCompletionOption.ResponseContentRead, ct);
    }

    /// <summary><c>namespaces/&lt;ns&gt;/&lt;plural&gt;[/&lt;name&gt;]</c> under <paramref name="prefix"/> (<c>api/v1</c>, <c>apis/apps/v1</c>).</summary>
    public static string Path(string prefix, string @namespace, string plural, string? name = null) =>
        name is null
            ? $"{prefix}/namespaces/{Uri.EscapeDataString(@namespace)}/{plural}"
            : $"{prefix}/namespaces/{Uri.EscapeDataString(@namespace)}/{plural}/{Uri.EscapeDataString(name)}";

    private static k8s.Kubernetes Kubernetes(IKubernetes client) =>
        client as k8s.Kubernetes
        ?? throw new ArgumentException($"a raw request needs a {typeof(k8s.Kubernetes).FullName}, not a {client.GetType().FullName}", nameof(client));
}
