using System.Net;

namespace Coordinator.Kubernetes.Clusters;

/// <summary>
/// The connections to one plain-HTTP API server address (scheme, host and port), shared by every cluster served there:
/// KubeSim serves all its clusters on one port, under path prefixes. It speaks HTTP/2 with prior knowledge (h2c) when
/// the server does, so that all those clusters' watches and requests are streams of a few connections, as client-go
/// multiplexes everything on one HTTP/2 connection per server (its transports are shared by TLS configuration, and a
/// plain-HTTP one has none); over HTTP/1.1 every open watch holds a connection of its own (5 per cluster here). Without
/// TLS there is no ALPN to agree on the protocol, so it is agreed once per address by an idempotent request
/// (<c>GET /version</c>, any answer will do): answered over HTTP/2, h2c from then on; refused (an HTTP/1.1-only server,
/// such as <c>kubectl proxy</c>, rejects the HTTP/2 preface before reading any request), HTTP/1.1. Credentials are
/// per request (the client adds its Authorization header), so sharing connections shares no identity.
/// </summary>
internal sealed class CleartextEndpoint : IDisposable
{
    private readonly Uri _address;
    private readonly Lock _gate = new();
    private Task<Version>? _version;

    public CleartextEndpoint(Uri address)
    {
        _address = address;
        Handler = new SocketsHttpHandler
        {
            // More streams than the server allows on one connection open another connection rather than wait.
            EnableMultipleHttp2Connections = true,
            // As KubernetesClient's own handler: a dead peer is noticed on connections with open requests (watches).
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            KeepAlivePingDelay = TimeSpan.FromMinutes(3),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
        };
        Invoker = new HttpMessageInvoker(Handler, disposeHandler: false);
    }

    public SocketsHttpHandler Handler { get; }

    public HttpMessageInvoker Invoker { get; }

    /// <summary>The HTTP version this address speaks: agreed by the first request, again after a failed attempt.</summary>
    public Task<Version> VersionAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_version is null || _version.IsFaulted || _version.IsCanceled) _version = NegotiateAsync();
            // Shared by every request waiting for it: one caller giving up must not fail the others'.
            return _version.WaitAsync(cancellationToken);
        }
    }

    private async Task<Version> NegotiateAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var cancellationToken = timeout.Token;
        using var probe = new HttpRequestMessage(HttpMethod.Get, new Uri(_address, "/version"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        try
        {
            using var response = await Invoker.SendAsync(probe, cancellationToken);
            return response.Version == HttpVersion.Version20 ? HttpVersion.Version20 : HttpVersion.Version11;
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.HttpProtocolError or HttpRequestError.InvalidResponse
                                                  or HttpRequestError.ResponseEnded or HttpRequestError.VersionNegotiationError)
        {
            return HttpVersion.Version11; // not an HTTP/2 server; an unreachable one throws on and is asked again next time
        }
    }

    public void Dispose()
    {
        Invoker.Dispose();
        Handler.Dispose();
    }
}

/// <summary>
/// The last handler of one cluster's KubernetesClient pipeline for a plain-HTTP server: sends through the address's
/// shared connections, in the version agreed there, instead of through the client's own handler (which then never
/// opens a connection).
/// </summary>
internal sealed class CleartextEndpointHandler(CleartextEndpoint endpoint) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Version = await endpoint.VersionAsync(cancellationToken);
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        return await endpoint.Invoker.SendAsync(request, cancellationToken);
    }
}
