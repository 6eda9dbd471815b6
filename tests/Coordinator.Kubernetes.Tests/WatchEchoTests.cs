using System.Text;
using System.Text.Json;
using Coordinator.Kubernetes.Watching;
using k8s.Models;

namespace Coordinator.Kubernetes.Tests;

/// <summary>
/// A watch event of an object the cache holds at that very version (the coordinator's own write, whose answer came
/// first) gives the cache's instance instead of a second parse; any other version is read from the event.
/// </summary>
public sealed class WatchEchoTests
{
    private static readonly WatchObjectReader Parse = (ref Utf8JsonReader reader) => JsonSerializer.Deserialize<V1ConfigMap>(ref reader)!;

    private static ObjectCache<V1ConfigMap> CacheHolding(V1ConfigMap map)
    {
        var cache = new ObjectCache<V1ConfigMap>(m => m.Metadata.ResourceVersion);
        cache.Upsert(map.Metadata.NamespaceProperty, map.Metadata.Name, map);
        return cache;
    }

    private static V1ConfigMap Map(string version, string value) => new()
    {
        Metadata = new V1ObjectMeta { Name = "owner", NamespaceProperty = "test", ResourceVersion = version },
        Data = new Dictionary<string, string> { ["phase"] = value },
    };

    private static string Event(string version, string value) =>
        "{\"type\":\"MODIFIED\",\"object\":{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"owner\",\"namespace\":\"test\","
        + $"\"resourceVersion\":\"{version}\"}},\"data\":{{\"phase\":\"{value}\"}}}}}}";

    [Fact]
    public void An_event_at_the_held_version_is_the_held_object()
    {
        var held = Map("5", "Healthy");
        var (type, read) = WatchStream.ParseEvent(Encoding.UTF8.GetBytes(Event("5", "Healthy")), ClusterWatch.KnownOr(CacheHolding(held), Parse));
        Assert.Equal(k8s.WatchEventType.Modified, type);
        Assert.Same(held, read);
    }

    [Theory]
    [InlineData("6")] // a newer version: someone else's change, or the next write's
    [InlineData("4")] // an older one (a watch that started again from an earlier version)
    public void An_event_at_another_version_is_read_from_the_event(string version)
    {
        var held = Map("5", "Healthy");
        var (_, read) = WatchStream.ParseEvent(Encoding.UTF8.GetBytes(Event(version, "Degraded")), ClusterWatch.KnownOr(CacheHolding(held), Parse));
        var map = Assert.IsType<V1ConfigMap>(read);
        Assert.NotSame(held, map);
        Assert.Equal((version, "Degraded"), (map.Metadata.ResourceVersion, map.Data["phase"]));
    }

    [Fact]
    public void An_object_the_cache_does_not_hold_is_read_from_the_event()
    {
        var cache = new ObjectCache<V1ConfigMap>(m => m.Metadata.ResourceVersion);
        var (_, read) = WatchStream.ParseEvent(Encoding.UTF8.GetBytes(Event("5", "Healthy")), ClusterWatch.KnownOr(cache, Parse));
        Assert.Equal("Healthy", Assert.IsType<V1ConfigMap>(read).Data["phase"]);
    }
}
