using Coordinator.KubeSim.Hosting;
using k8s;

namespace Coordinator.KubeSim.Tests.Support;

/// <summary>One KubeSim server per test class; each test takes its own cluster so tests don't see each other's objects.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private int _next;

    public KubeSimServer Server { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Server = await KubeSimServer.StartAsync(new KubeSimOptions { PodReadyDelay = TimeSpan.FromMilliseconds(20), WatchHistoryLimit = 200 });

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A fresh cluster with a namespace "test" (labelled for Istio injection like the seed).</summary>
    public SimCluster NewCluster(string prefix = "c", bool withTestNamespace = true)
    {
        var cluster = Server.AddCluster($"{prefix}{Interlocked.Increment(ref _next)}");
        if (withTestNamespace)
            cluster.Create("namespaces", null, System.Text.Json.Nodes.JsonNode.Parse("""{"metadata":{"name":"test","labels":{"istio-injection":"enabled"}}}""")!.AsObject());
        return cluster;
    }

    public static Kubernetes Client(SimCluster cluster) => new(new KubernetesClientConfiguration { Host = cluster.ServerUrl });
}
