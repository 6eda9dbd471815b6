using System.Net;

namespace Coordinator.Benchmarks.Fleet;

/// <summary>
/// The protocol the bare loop speaks. KubernetesClient asks for HTTP/2 on every request but lets the version fall back:
/// over TLS a kube-apiserver agrees on HTTP/2 (ALPN), over KubeSim's plain HTTP there is nothing to agree with and it
/// sends HTTP/1.1. The coordinator speaks HTTP/2 to KubeSim too (with prior knowledge), as to a real API server. The
/// loop over HTTP/1.1 is the ratio's target; the loop over HTTP/2 tells how much of the difference is the protocol.
/// </summary>
internal enum BaselineProtocol
{
    /// <summary>KubernetesClient's defaults against plain HTTP.</summary>
    Http11,

    /// <summary>HTTP/2 with prior knowledge, one connection per cluster's client, as KubernetesClient has with a real API server.</summary>
    Http2,
}

/// <summary>Sends every request of a client over HTTP/2 with prior knowledge (h2c): the HTTP/2 loop's only difference.</summary>
internal sealed class PriorKnowledgeHttp2Handler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Version = HttpVersion.Version20;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        return base.SendAsync(request, cancellationToken);
    }
}
