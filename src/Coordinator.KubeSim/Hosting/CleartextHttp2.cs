using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Coordinator.KubeSim.Hosting;

/// <summary>
/// Serves HTTP/1.1 (kubectl) and HTTP/2 with prior knowledge (h2c: the coordinator multiplexes a cluster's watches and
/// requests on one connection, as client-go does over TLS with a real kube-apiserver) on the same cleartext port.
/// Kestrel 10 cannot: on an endpoint without TLS, <see cref="HttpProtocols.Http1AndHttp2"/> always picks HTTP/1.1,
/// because without ALPN the protocol is "ambiguous" (HttpConnection.SelectProtocol; later Kestrel versions peek at the
/// preface themselves). So this connection middleware peeks: a connection that opens with the HTTP/2 client preface
/// (RFC 9113 section 3.4; no HTTP/1 request can start with it, the PRI method is reserved for it) is marked as if ALPN
/// had chosen h2, which is the one case in which Kestrel selects HTTP/2 next to HTTP/1.1. Nothing is consumed: the
/// chosen protocol reads the bytes itself. Requests keep their own scheme (<c>:scheme http</c>), which is why the
/// server allows alternate schemes.
/// </summary>
internal static class CleartextHttp2
{
    private static ReadOnlySpan<byte> Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    public static void ServeHttp1AndPriorKnowledgeHttp2(this ListenOptions listen)
    {
        listen.Protocols = HttpProtocols.Http1AndHttp2;
        listen.Use(next => async connection =>
        {
            if (await StartsWithPrefaceAsync(connection.Transport.Input))
            {
                connection.Features.Set<ITlsConnectionFeature>(NoClientCertificate.Instance);
                connection.Features.Set<ITlsApplicationProtocolFeature>(H2.Instance);
            }
            await next(connection);
        });
    }

    /// <summary>Reads until the first bytes tell HTTP/2's preface from anything else, and leaves them unread.</summary>
    private static async Task<bool> StartsWithPrefaceAsync(PipeReader input)
    {
        while (true)
        {
            var result = await input.ReadAsync();
            var buffer = result.Buffer;
            var isPreface = IsPreface(buffer);
            if (isPreface is null && (result.IsCompleted || result.IsCanceled)) isPreface = false;
            // Decided: nothing examined, so the protocol's first read returns these bytes at once. Otherwise wait for more.
            input.AdvanceTo(buffer.Start, isPreface is null ? buffer.End : buffer.Start);
            if (isPreface is { } decided) return decided;
        }
    }

    /// <summary>True: the preface; false: something else; null: a prefix of it, too short to tell.</summary>
    private static bool? IsPreface(ReadOnlySequence<byte> buffer)
    {
        var length = (int)Math.Min(buffer.Length, Preface.Length);
        Span<byte> head = stackalloc byte[length];
        buffer.Slice(0, length).CopyTo(head);
        if (!head.SequenceEqual(Preface[..length])) return false;
        return length == Preface.Length ? true : null;
    }

    /// <summary>What Kestrel reads to pick HTTP/2 next to HTTP/1.1: the connection "has TLS" whose ALPN chose h2.</summary>
    private sealed class H2 : ITlsApplicationProtocolFeature
    {
        public static readonly H2 Instance = new();
        public ReadOnlyMemory<byte> ApplicationProtocol { get; } = "h2"u8.ToArray();
    }

    /// <summary>No TLS in fact, so no client certificate.</summary>
    private sealed class NoClientCertificate : ITlsConnectionFeature
    {
        public static readonly NoClientCertificate Instance = new();

        public X509Certificate2? ClientCertificate
        {
            get => null;
            set => throw new NotSupportedException("a cleartext connection has no client certificate");
        }

        public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult<X509Certificate2?>(null);
    }
}
