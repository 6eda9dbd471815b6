using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Coordinator.Kubernetes.Clusters.Resilience;

/// <summary>
/// Sends every request but a streaming one (a watch) through the cluster's resilience pipeline. A watch stays open for
/// minutes and gets no attempt timeout and no retry (the informer lists and watches again), so it passes straight on:
/// through Polly's handler, even with an empty pipeline, it carried a resilience context in its request's options for as
/// long as it ran (a dictionary per watch, 10 MiB at 10,000 clusters of 5 watches).
/// </summary>
internal sealed class ResilienceExceptStreamingHandler : DelegatingHandler
{
    private readonly ResilienceHandler _resilience;
    private readonly HttpMessageInvoker _resilient;

    public ResilienceExceptStreamingHandler(ResiliencePipeline<HttpResponseMessage> pipeline)
    {
        // Polly's handler sends on to the rest of this handler's chain.
        _resilience = new ResilienceHandler(pipeline) { InnerHandler = new RestOfChain(this) };
        _resilient = new HttpMessageInvoker(_resilience, disposeHandler: false);
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        KubernetesRequests.IsStreaming(request) ? base.SendAsync(request, cancellationToken) : _resilient.SendAsync(request, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _resilient.Dispose();
            _resilience.Dispose();
        }
        base.Dispose(disposing);
    }

    private sealed class RestOfChain(ResilienceExceptStreamingHandler owner) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            owner.SendOnAsync(request, cancellationToken);
    }

    private Task<HttpResponseMessage> SendOnAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);
}
