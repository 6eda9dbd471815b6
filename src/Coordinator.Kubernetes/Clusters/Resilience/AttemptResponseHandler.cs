using System.Net;

namespace Coordinator.Kubernetes.Clusters.Resilience;

/// <summary>
/// Makes one attempt cover the whole response: a non-streaming response is read to its end here, under the attempt's
/// timeout (HttpClient would otherwise buffer it after the pipeline, where a server that stalls mid-body holds the call
/// for ever). A watch's body stays a stream, but its headers must come within <paramref name="headersTimeout"/>: a server
/// that accepts a watch and never answers is then noticed, and the informer watches again.
/// </summary>
internal sealed class AttemptResponseHandler(TimeSpan headersTimeout) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (KubernetesRequests.IsStreaming(request)) return await SendStreamingAsync(request, cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        try
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async Task<HttpResponseMessage> SendStreamingAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Only the headers are awaited under this deadline; disposing it before the body is read leaves the stream alone.
        using var headers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        headers.CancelAfter(headersTimeout);
        try
        {
            return await base.SendAsync(request, headers.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HttpRequestException(HttpRequestError.Unknown,
                $"the API server did not answer the watch within {headersTimeout.TotalSeconds:0.#}s", ex, HttpStatusCode.GatewayTimeout);
        }
    }
}
