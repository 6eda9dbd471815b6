using System.Text.Json;
using Coordinator.Kubernetes.Clusters;
using Coordinator.Kubernetes.Watching;
using Coordinator.KubeSim.Hosting;
using k8s;
using k8s.Models;

namespace Coordinator.Kubernetes.Tests;

/// <summary>The informers' watch request against KubeSim: events in order, typed, whatever their size; 410 as an Error event.</summary>
public sealed class WatchStreamTests
{
    private static WatchObjectReader Typed<T>() => (ref Utf8JsonReader reader) => JsonSerializer.Deserialize<T>(ref reader)!;

    [Fact]
    public async Task Events_after_the_resourceVersion_arrive_in_order_including_ones_larger_than_a_read()
    {
        await using var sim = await KubeSimServer.StartAsync(new KubeSimOptions());
        var cluster = sim.AddCluster("w");
        using var registry = new ClusterRegistry([new ClusterDefinition { Name = "w", ServerUrl = new Uri(cluster.ServerUrl) }]);
        var client = registry.Client("w");
        var ns = await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = "test" } });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = WatchStream.ReadAsync(client, "api/v1/namespaces/test/configmaps", null, ns.Metadata.ResourceVersion, 10, Typed<V1ConfigMap>(), timeout.Token)
            .GetAsyncEnumerator(timeout.Token);
        var next = events.MoveNextAsync().AsTask(); // the watch is open before the writes

        var big = new string('x', 100_000); // several reads of the stream, a line longer than the buffer
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "a" }, Data = new Dictionary<string, string> { ["k"] = "1" } }, "test");
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "a" }, Data = new Dictionary<string, string> { ["k"] = big } }, "a", "test");
        await client.CoreV1.DeleteNamespacedConfigMapAsync("a", "test");

        var seen = new List<(WatchEventType, string, int)>();
        while (seen.Count < 3 && await next)
        {
            var map = (V1ConfigMap)events.Current.Object;
            seen.Add((events.Current.Type, map.Metadata.Name, map.Data["k"].Length));
            if (seen.Count < 3) next = events.MoveNextAsync().AsTask();
        }
        await events.DisposeAsync();

        Assert.Equal([(WatchEventType.Added, "a", 1), (WatchEventType.Modified, "a", 100_000), (WatchEventType.Deleted, "a", 100_000)], seen);
    }

    [Fact]
    public async Task A_resourceVersion_older_than_the_history_yields_an_Error_event_with_the_410_Status()
    {
        await using var sim = await KubeSimServer.StartAsync(new KubeSimOptions { WatchHistoryLimit = 3 });
        var cluster = sim.AddCluster("old");
        using var registry = new ClusterRegistry([new ClusterDefinition { Name = "old", ServerUrl = new Uri(cluster.ServerUrl) }]);
        var client = registry.Client("old");
        var ns = await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = "test" } });
        for (var i = 0; i < 6; i++)
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = $"m{i}" } }, "test");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var events = new List<(WatchEventType Type, object Object)>();
        await foreach (var e in WatchStream.ReadAsync(client, "api/v1/namespaces/test/configmaps", null, ns.Metadata.ResourceVersion, 10, Typed<V1ConfigMap>(), timeout.Token))
            events.Add(e);

        var error = Assert.Single(events);
        Assert.Equal(WatchEventType.Error, error.Type);
        var status = ((JsonElement)error.Object).Deserialize<V1Status>()!;
        Assert.Equal((410, "Expired"), (status.Code, status.Reason));
    }

    [Fact]
    public void An_event_is_read_whatever_the_order_of_its_fields_and_with_fields_it_does_not_know()
    {
        var first = WatchStream.ParseEvent("""{"type":"MODIFIED","object":{"metadata":{"name":"a","resourceVersion":"7"}}}"""u8, Typed<V1ConfigMap>());
        var last = WatchStream.ParseEvent("""{"object":{"metadata":{"name":"b"}},"extra":{"x":[1,{"y":2}]},"type":"ADDED"}"""u8, Typed<V1ConfigMap>());

        Assert.Equal((WatchEventType.Modified, "a", "7"), (first.Type, ((V1ConfigMap)first.Object).Metadata.Name, ((V1ConfigMap)first.Object).Metadata.ResourceVersion));
        Assert.Equal((WatchEventType.Added, "b"), (last.Type, ((V1ConfigMap)last.Object).Metadata.Name));
    }

    [Theory]
    [InlineData("""{"type":"ADDED"}""")]
    [InlineData("""{"object":{}}""")]
    [InlineData("""{"type":"ADDED","object":"text"}""")]
    [InlineData("""{"type":"CHANGED","object":{}}""")]
    [InlineData("""["ADDED",{}]""")]
    [InlineData("""{"type":"ADDED","object":{"metadata":""")]
    public void A_malformed_event_is_a_JsonException(string line)
    {
        Assert.ThrowsAny<JsonException>(() => WatchStream.ParseEvent(System.Text.Encoding.UTF8.GetBytes(line), Typed<V1ConfigMap>()));
    }
}
