using System.Net;
using Coordinator.KubeSim.Tests.Support;
using k8s;
using k8s.Models;

namespace Coordinator.KubeSim.Tests;

/// <summary>
/// One cleartext port serves HTTP/1.1 (kubectl, KubernetesClient's default over http) and HTTP/2 with prior knowledge
/// (h2c: many clusters' watches multiplexed on one connection), told apart by the HTTP/2 preface.
/// </summary>
public sealed class CleartextHttp2Tests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Http11_and_prior_knowledge_http2_are_both_served_on_the_cluster_port()
    {
        var cluster = fixture.NewCluster();
        using var http = new HttpClient();
        var url = $"{cluster.ServerUrl}/api/v1/namespaces/test";

        using var h1 = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, url) { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact });
        using var h2 = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, url) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact });

        Assert.Equal((HttpStatusCode.OK, HttpVersion.Version11), (h1.StatusCode, h1.Version));
        Assert.Equal((HttpStatusCode.OK, HttpVersion.Version20), (h2.StatusCode, h2.Version));
        Assert.Equal(await h1.Content.ReadAsStringAsync(), await h2.Content.ReadAsStringAsync());
        Assert.Equal(1, cluster.Requests.OverProtocol("HTTP/1.1"));
        Assert.Equal(1, cluster.Requests.OverProtocol("HTTP/2"));
    }

    [Fact]
    public async Task Watches_of_two_clusters_stream_over_one_http2_connection_while_writes_go_over_it_too()
    {
        var (a, b) = (fixture.NewCluster(), fixture.NewCluster());
        var handler = new SocketsHttpHandler();
        var connections = 0;
        handler.ConnectCallback = async (context, ct) =>
        {
            Interlocked.Increment(ref connections);
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(context.DnsEndPoint, ct);
            return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
        };
        using var http = new HttpClient(handler) { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        async Task<string> FirstWatchEventAsync(string serverUrl)
        {
            using var response = await http.GetAsync($"{serverUrl}/api/v1/namespaces/test/services?watch=true", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            Assert.Equal(HttpVersion.Version20, response.Version);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
            return await reader.ReadLineAsync(timeout.Token) ?? "";
        }

        var watchA = FirstWatchEventAsync(a.ServerUrl);
        var watchB = FirstWatchEventAsync(b.ServerUrl);
        // Written through a KubernetesClient over HTTP/1.1 (its default over http), as kubectl would.
        using var clientA = ServerFixture.Client(a);
        using var clientB = ServerFixture.Client(b);
        await clientA.CoreV1.CreateNamespacedServiceAsync(Models.Service("svc-a", new() { ["x"] = "1" }), "test");
        await clientB.CoreV1.CreateNamespacedServiceAsync(Models.Service("svc-b", new() { ["x"] = "1" }), "test");

        Assert.Contains("\"svc-a\"", await watchA);
        Assert.Contains("\"svc-b\"", await watchB);
        Assert.Equal(1, connections);
        Assert.Equal(1, a.Requests.OverProtocol("HTTP/2"));
        Assert.Equal(1, b.Requests.OverProtocol("HTTP/2"));
    }
}
