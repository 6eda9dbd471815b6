using System.Collections.Concurrent;
using Coordinator.Domain.Ports;
using Coordinator.Kubernetes.Clusters;
using Microsoft.Extensions.Logging;

namespace Coordinator.Kubernetes.Watching;

/// <summary>
/// Per-process informers of the clusters, and the fan-out of their changes to the rollouts that care about them.
/// One watch per cluster and resource kind (Deployments, the ReplicaSets rollouts own, Services, VirtualServices),
/// started when the first rollout of that cluster subscribes, so an idle rollout costs no API calls: it is woken by
/// the watch, the way Argo's informers enqueue a Rollout when its Deployment or ReplicaSets change, and it decides
/// on the watch cache instead of reading the objects again.
/// </summary>
public sealed class ClusterChangeHub : IClusterChanges, IAsyncDisposable
{
    private readonly ClusterRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger<ClusterChangeHub> _logger;
    // Lazy: GetOrAdd may run its factory twice when two rollouts of a new cluster subscribe at once, and the loser's
    // informers, started and then dropped, would list and watch that cluster until the process stops.
    private readonly ConcurrentDictionary<string, Lazy<ClusterWatch>> _watches = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly WatchDeadlines _deadlines;
    private int _stopped;

    public ClusterChangeHub(ClusterRegistry registry, TimeProvider time, ILogger<ClusterChangeHub> logger)
    {
        _registry = registry;
        _time = time;
        _logger = logger;
        // Real time, as the server's end of a watch: a test's clock moved by hours must not cut watches short.
        _deadlines = new WatchDeadlines(_stopping.Token, TimeProvider.System);
    }

    /// <summary>
    /// Calls <paramref name="onChange"/> whenever the Deployment <paramref name="deployment"/> or a
    /// ReplicaSet owned by the Rollout <paramref name="rollout"/> changes in that namespace, and after
    /// every re-list (when changes may have been missed). Dispose the result to stop.
    /// </summary>
    public IDisposable Subscribe(string cluster, string @namespace, string rollout, string deployment, Action onChange)
    {
        var watch = _watches.GetOrAdd(cluster, name => new Lazy<ClusterWatch>(() =>
        {
            var created = new ClusterWatch(name, _registry.Client(name), _registry.Definition(name).Namespaces, _time, _deadlines, _logger);
            created.Start(_stopping.Token);
            return created;
        }));
        return watch.Value.Subscribe(@namespace, rollout, deployment, onChange);
    }

    /// <summary>
    /// The watch cache of <paramref name="cluster"/> once it has listed every kind; null before (or when no rollout of
    /// that cluster has subscribed yet), and a look must then read the API server.
    /// </summary>
    internal ClusterCache? SyncedCache(string cluster) =>
        _watches.TryGetValue(cluster, out var watch) && watch.Value.Cache.Synced ? watch.Value.Cache : null;

    /// <summary>The watch cache of <paramref name="cluster"/>, synced or not: where acknowledged writes and fresh reads are remembered.</summary>
    internal ClusterCache? Cache(string cluster) => _watches.TryGetValue(cluster, out var watch) ? watch.Value.Cache : null;

    /// <summary>Completes once every cluster watch of <paramref name="cluster"/> has listed and is watching.</summary>
    public Task WhenWatching(string cluster) =>
        _watches.TryGetValue(cluster, out var watch) ? watch.Value.Ready : Task.CompletedTask;

    /// <summary>
    /// Ends every watch. Call it when the process starts stopping, before the clusters' connections go away (an embedded
    /// KubeSim stops with the host), so that the watches end quietly instead of failing and retrying.
    /// </summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0) _stopping.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        Stop();
        foreach (var watch in _watches.Values) await watch.Value.Stopped;
        _stopping.Dispose();
    }
}
