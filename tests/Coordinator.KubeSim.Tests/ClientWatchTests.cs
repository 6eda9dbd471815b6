using System.Net;
using Coordinator.KubeSim.Hosting;
using Coordinator.KubeSim.Tests.Support;
using k8s;
using k8s.Models;

namespace Coordinator.KubeSim.Tests;

public sealed class ClientWatchTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static async Task<List<(WatchEventType Type, string Name, string Rv)>> CollectAsync(
        IAsyncEnumerable<(WatchEventType, V1Service)> watch, int count)
    {
        var events = new List<(WatchEventType, string, string)>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var (type, svc) in watch.WithCancellation(timeout.Token))
        {
            events.Add((type, svc.Metadata.Name, svc.Metadata.ResourceVersion));
            if (events.Count == count) break;
        }
        return events;
    }

    [Fact]
    public async Task Watch_streams_added_modified_deleted_in_order()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        var start = (await client.CoreV1.ListNamespacedServiceAsync("test")).Metadata.ResourceVersion;
        var collecting = CollectAsync(client.CoreV1.WatchListNamespacedServiceAsync("test", resourceVersion: start, timeoutSeconds: 10), 3);

        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("a", new() { ["x"] = "1" }), "test");
        await client.CoreV1.PatchNamespacedServiceAsync(new V1Patch("""{"metadata":{"labels":{"l":"v"}}}""", V1Patch.PatchType.MergePatch), "a", "test");
        await client.CoreV1.DeleteNamespacedServiceAsync("a", "test");

        var events = await collecting;
        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], events.Select(e => e.Type).ToArray());
        Assert.True(events.Select(e => long.Parse(e.Rv)).SequenceEqual(events.Select(e => long.Parse(e.Rv)).Order()));
    }

    [Fact]
    public async Task Watch_resumes_after_a_resourceVersion_with_only_later_events()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("a", new() { ["x"] = "1" }), "test");
        var b = await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("b", new() { ["x"] = "1" }), "test");
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("c", new() { ["x"] = "1" }), "test");
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("d", new() { ["x"] = "1" }), "test");

        var events = await CollectAsync(client.CoreV1.WatchListNamespacedServiceAsync("test", resourceVersion: b.Metadata.ResourceVersion, timeoutSeconds: 10), 2);

        Assert.Equal(["c", "d"], events.Select(e => e.Name).ToArray());
    }

    [Fact]
    public async Task Watch_without_resourceVersion_starts_with_current_objects()
    {
        using var client = ServerFixture.Client(fixture.NewCluster());
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("a", new() { ["x"] = "1" }), "test");
        var events = await CollectAsync(client.CoreV1.WatchListNamespacedServiceAsync("test", timeoutSeconds: 10), 1);
        Assert.Equal((WatchEventType.Added, "a"), (events[0].Type, events[0].Name));
    }

    [Fact]
    public async Task Watch_from_a_too_old_resourceVersion_yields_an_Error_event_with_410()
    {
        await using var server = await KubeSimServer.StartAsync(new KubeSimOptions { WatchHistoryLimit = 3 });
        var cluster = server.AddCluster("small");
        using var client = ServerFixture.Client(cluster);
        var first = await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = "test" } });
        for (var i = 0; i < 6; i++) await client.CoreV1.CreateNamespacedServiceAsync(Models.Service($"s{i}", new() { ["x"] = "1" }), "test");

        var seen = new List<WatchEventType>();
        Exception? error = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var (type, svc) in client.CoreV1.WatchListNamespacedServiceAsync("test", resourceVersion: first.Metadata.ResourceVersion,
                           timeoutSeconds: 10, onError: e => error = e, cancellationToken: timeout.Token))
        {
            seen.Add(type);
        }

        // KubernetesClient turns an ERROR event carrying a Status into a KubernetesException passed to onError.
        Assert.Empty(seen);
        var status = Assert.IsType<KubernetesException>(error).Status;
        Assert.Equal((410, "Expired"), (status.Code, status.Reason));

        using var http = new HttpClient();
        var raw = await http.GetStringAsync($"{cluster.ServerUrl}/api/v1/namespaces/test/services?watch=true&resourceVersion={first.Metadata.ResourceVersion}");
        Assert.Contains("\"type\":\"ERROR\"", raw);
        Assert.Contains("\"code\":410", raw);
        Assert.Contains("too old resource version", raw);

        var list = await http.GetAsync($"{cluster.ServerUrl}/api/v1/namespaces/test/services?resourceVersion={first.Metadata.ResourceVersion}&resourceVersionMatch=Exact");
        Assert.Equal(HttpStatusCode.Gone, list.StatusCode);
    }
}
