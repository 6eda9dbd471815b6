using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Coordinator.Kubernetes.Clusters;
using Coordinator.Kubernetes.Watching;
using Coordinator.KubeSim.Hosting;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coordinator.Kubernetes.Tests;

/// <summary>
/// How the coordinator connects to plain-HTTP API servers: HTTP/2 with prior knowledge where the server speaks it
/// (KubeSim), every cluster of one address multiplexed on shared connections; HTTP/1.1 where it does not.
/// </summary>
public sealed class ClusterTransportTests
{
    [Fact]
    public async Task Clusters_of_one_KubeSim_watch_and_write_over_http2_on_one_shared_connection()
    {
        await using var sim = await KubeSimServer.StartAsync(new KubeSimOptions { PodReadyDelay = TimeSpan.FromMilliseconds(20) });
        var clusters = new[] { sim.AddCluster("a"), sim.AddCluster("b"), sim.AddCluster("c") };
        foreach (var cluster in clusters) cluster.LoadSeed();
        using var registry = new ClusterRegistry(clusters.Select(c => new ClusterDefinition { Name = c.Name, ServerUrl = new Uri(c.ServerUrl) }));
        await using var hub = new ClusterChangeHub(registry, TimeProvider.System, NullLogger<ClusterChangeHub>.Instance);

        var subscriptions = clusters.Select(c => hub.Subscribe(c.Name, "test", "rollouts-demo", "rollouts-demo", () => { })).ToList();
        foreach (var cluster in clusters) await hub.WhenWatching(cluster.Name);
        // WhenWatching completes once every kind is listed; each watch request follows its list.
        await UntilAsync(() => clusters.All(c => c.Requests.Count("watch") >= 5));
        foreach (var cluster in clusters)
            await registry.Client(cluster.Name).CoreV1.PatchNamespacedServiceAsync(
                new k8s.Models.V1Patch("""{"metadata":{"labels":{"seen":"yes"}}}""", k8s.Models.V1Patch.PatchType.MergePatch), "rollouts-demo-canary", "test");

        foreach (var cluster in clusters)
        {
            Assert.Equal((cluster.Name, 0L), (cluster.Name, cluster.Requests.OverProtocol("HTTP/1.1")));
            Assert.True(cluster.Requests.OverProtocol("HTTP/2") >= 11, $"{cluster.Name}: 5 lists, 5 watches and a patch over HTTP/2");
            Assert.Equal((cluster.Name, 5L), (cluster.Name, cluster.Requests.Count("watch")));
        }
        // 15 open watches and their clusters' requests: one connection from the coordinator to KubeSim.
        Assert.Equal(1, EstablishedConnectionsTo(sim.Port));
        foreach (var subscription in subscriptions) subscription.Dispose();
    }

    [Fact]
    public async Task A_server_that_speaks_only_http11_is_used_over_http11()
    {
        using var server = new Http11OnlyServer();
        using var registry = new ClusterRegistry([new ClusterDefinition { Name = "proxy", ServerUrl = new Uri($"http://127.0.0.1:{server.Port}/") }]);

        Assert.Equal("v1.31.0", await registry.ServerVersionAsync("proxy", CancellationToken.None));
        Assert.Equal("v1.31.0", await registry.ServerVersionAsync("proxy", CancellationToken.None));
        Assert.Equal(1, server.RefusedHttp2Prefaces); // agreed once for the address, then HTTP/1.1
        Assert.Equal(2, server.Http11Requests);
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 10 s");
            await Task.Delay(10);
        }
    }

    /// <summary>Established TCP connections of this process whose remote port is <paramref name="port"/> (Linux).</summary>
    private static int EstablishedConnectionsTo(int port) =>
        File.ReadLines("/proc/net/tcp").Skip(1).Concat(File.ReadLines("/proc/net/tcp6").Skip(1))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Count(f => f[3] == "01" && int.Parse(f[2].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port);

    /// <summary>
    /// An HTTP/1.1-only server (like <c>kubectl proxy</c>): answers <c>GET /version</c>, and rejects the HTTP/2 preface
    /// with 400, as Go's and Kestrel's HTTP/1.1 servers do.
    /// </summary>
    private sealed class Http11OnlyServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private int _refused;
        private int _requests;

        public Http11OnlyServer()
        {
            _listener.Start();
            _ = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int RefusedHttp2Prefaces => Volatile.Read(ref _refused);

        public int Http11Requests => Volatile.Read(ref _requests);

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
                catch (OperationCanceledException) { return; }
                _ = ServeAsync(client);
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using var _ = client;
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII, false, 1024, leaveOpen: true);
            while (await reader.ReadLineAsync(_stop.Token) is { Length: > 0 } requestLine)
            {
                while (await reader.ReadLineAsync(_stop.Token) is { Length: > 0 }) { } // headers
                if (requestLine.StartsWith("PRI * HTTP/2.0", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref _refused);
                    await stream.WriteAsync("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), _stop.Token);
                    // As Go's server (closeWriteAndWait): end the sending side and read what the client still sends (its
                    // SETTINGS frame) until it closes. Closed with those bytes unread, the socket would answer with a
                    // reset, which can reach the client before the 400 and look like a broken connection, not a refusal.
                    client.Client.Shutdown(SocketShutdown.Send);
                    using var linger = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    linger.CancelAfter(TimeSpan.FromSeconds(1));
                    try { await stream.CopyToAsync(Stream.Null, linger.Token); }
                    catch (Exception ex) when (ex is OperationCanceledException or IOException) { }
                    return;
                }
                Interlocked.Increment(ref _requests);
                var body = """{"major":"1","minor":"31","gitVersion":"v1.31.0"}""";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}"), _stop.Token);
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }
    }
}
