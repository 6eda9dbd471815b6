using System.Collections.Concurrent;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace Coordinator.Grains.Tests.Infrastructure;

/// <summary>One observed state change in the cluster, in resourceVersion order.</summary>
public sealed record TimelineEntry(long ResourceVersion, string Kind, string Name, string State)
{
    public override string ToString() => $"{ResourceVersion} {Kind}/{Name}: {State}";
}

/// <summary>
/// Records, through real watches (HTTP, KubernetesClient), how the Services' hash selectors, the
/// VirtualService weights and the ReplicaSets' sizes change in one namespace, so that tests can assert
/// the order of states a user would see, not just the end state. Consecutive duplicates are dropped.
/// </summary>
public sealed class ClusterTimeline : IAsyncDisposable
{
    private readonly ConcurrentQueue<TimelineEntry> _entries = new();
    private readonly ConcurrentDictionary<string, string> _last = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _watches = [];

    private ClusterTimeline() { }

    public static async Task<ClusterTimeline> StartAsync(IKubernetes client, string ns)
    {
        var timeline = new ClusterTimeline();
        var ct = timeline._stop.Token;
        var services = await client.CoreV1.ListNamespacedServiceAsync(ns, cancellationToken: ct);
        var replicaSets = await client.AppsV1.ListNamespacedReplicaSetAsync(ns, cancellationToken: ct);
        var vs = await client.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>("networking.istio.io", "v1alpha3", ns, "virtualservices", cancellationToken: ct);
        foreach (var s in services.Items) timeline.Record(s.Metadata.ResourceVersion, "Service", s.Metadata.Name, ServiceState(s));
        foreach (var r in replicaSets.Items) timeline.Record(r.Metadata.ResourceVersion, "ReplicaSet", r.Metadata.Name, ReplicaSetState(r));
        foreach (var v in vs.GetProperty("items").EnumerateArray()) timeline.Record(v, stateOverride: null);

        timeline._watches.Add(Task.Run(async () =>
        {
            await foreach (var (type, s) in client.CoreV1.WatchListNamespacedServiceAsync(ns, resourceVersion: services.Metadata.ResourceVersion, cancellationToken: ct))
                timeline.Record(s.Metadata.ResourceVersion, "Service", s.Metadata.Name, type == WatchEventType.Deleted ? "deleted" : ServiceState(s));
        }, ct));
        timeline._watches.Add(Task.Run(async () =>
        {
            await foreach (var (type, r) in client.AppsV1.WatchListNamespacedReplicaSetAsync(ns, resourceVersion: replicaSets.Metadata.ResourceVersion, cancellationToken: ct))
                timeline.Record(r.Metadata.ResourceVersion, "ReplicaSet", r.Metadata.Name, type == WatchEventType.Deleted ? "deleted" : ReplicaSetState(r));
        }, ct));
        timeline._watches.Add(Task.Run(async () =>
        {
            var rv = vs.GetProperty("metadata").GetProperty("resourceVersion").GetString();
            await foreach (var (type, v) in client.CustomObjects.WatchListNamespacedCustomObjectAsync(
                               "networking.istio.io", "v1alpha3", ns, "virtualservices", resourceVersion: rv, cancellationToken: ct))
                timeline.Record((JsonElement)v, type == WatchEventType.Deleted ? "deleted" : null);
        }, ct));
        return timeline;
    }

    public IReadOnlyList<TimelineEntry> Entries => _entries.OrderBy(e => e.ResourceVersion).ToList();

    /// <summary>The distinct successive states of one object.</summary>
    public IReadOnlyList<string> StatesOf(string kind, string name) =>
        Entries.Where(e => e.Kind == kind && e.Name == name).Select(e => e.State).ToList();

    /// <summary>The resourceVersion at which <paramref name="kind"/>/<paramref name="name"/> first reached <paramref name="state"/>.</summary>
    public long FirstTime(string kind, string name, string state) =>
        Entries.FirstOrDefault(e => e.Kind == kind && e.Name == name && e.State == state)?.ResourceVersion
        ?? throw new Xunit.Sdk.XunitException($"{kind}/{name} never reached '{state}'. Timeline:\n{string.Join("\n", Entries)}");

    /// <summary>The first resourceVersion after <paramref name="after"/> at which the object reached <paramref name="state"/>.</summary>
    public long FirstAfter(string kind, string name, string state, long after) =>
        Entries.FirstOrDefault(e => e.Kind == kind && e.Name == name && e.State == state && e.ResourceVersion > after)?.ResourceVersion
        ?? throw new Xunit.Sdk.XunitException($"{kind}/{name} never reached '{state}' after {after}\n{this}");

    /// <summary>The seed VirtualService's state as recorded: "rollouts-demo=S,rollouts-demo-canary=C".</summary>
    public static string VsWeights(int stable, int canary) => $"rollouts-demo={stable},rollouts-demo-canary={canary}";

    /// <summary>Whether <paramref name="expected"/> appears in <paramref name="actual"/> in order (other states may come between).</summary>
    public static bool IsSubsequence(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var i = 0;
        foreach (var state in actual)
            if (i < expected.Count && state == expected[i]) i++;
        return i == expected.Count;
    }

    public override string ToString() => string.Join("\n", Entries);

    private void Record(JsonElement vs, string? stateOverride)
    {
        var meta = vs.GetProperty("metadata");
        Record(meta.GetProperty("resourceVersion").GetString(), "VirtualService", meta.GetProperty("name").GetString()!, stateOverride ?? Weights(vs));
    }

    private void Record(string? resourceVersion, string kind, string name, string state)
    {
        var key = $"{kind}/{name}";
        if (_last.TryGetValue(key, out var previous) && previous == state) return;
        _last[key] = state;
        _entries.Enqueue(new TimelineEntry(long.Parse(resourceVersion ?? "0"), kind, name, state));
    }

    /// <summary>A Service's state is the hash its selector pins ("" when none).</summary>
    public static string ServiceState(V1Service s) =>
        s.Spec.Selector?.TryGetValue("rollouts-pod-template-hash", out var hash) == true ? hash : "";

    /// <summary>A ReplicaSet's state: "desired/available".</summary>
    public static string ReplicaSetState(V1ReplicaSet r) => $"{r.Spec.Replicas ?? 0}/{r.Status?.AvailableReplicas ?? 0}";

    /// <summary>The first HTTP route's weights as "host=weight,host=weight".</summary>
    public static string Weights(JsonElement vs) =>
        string.Join(",", vs.GetProperty("spec").GetProperty("http")[0].GetProperty("route").EnumerateArray()
            .Select(d => $"{d.GetProperty("destination").GetProperty("host").GetString()}={(d.TryGetProperty("weight", out var w) ? w.GetInt32() : 0)}"));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var watch in _watches)
        {
            try { await watch; }
            catch (Exception) { /* the watch ends with a cancellation or a closed connection */ }
        }
        _stop.Dispose();
    }
}
