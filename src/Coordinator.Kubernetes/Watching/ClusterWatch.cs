using System.Collections.Concurrent;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Coordinator.Kubernetes.Watching;

/// <summary>
/// The watches of one cluster: Deployments and rollout-owned ReplicaSets in all namespaces, resumed
/// from the last resourceVersion and re-listed when the server says the version is too old.
/// </summary>
internal sealed class ClusterWatch
{
    private const string RolloutHashLabel = "rollouts-pod-template-hash";
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    private readonly string _cluster;
    private readonly IKubernetes _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();
    private readonly ConcurrentDictionary<string, string> _fingerprints = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _deploymentsReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _replicaSetsReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _stopped = Task.CompletedTask;

    public ClusterWatch(string cluster, IKubernetes client, TimeProvider time, ILogger logger)
    {
        _cluster = cluster;
        _client = client;
        _time = time;
        _logger = logger;
    }

    public Task Ready => Task.WhenAll(_deploymentsReady.Task, _replicaSetsReady.Task);

    public Task Stopped => _stopped;

    public void Start(CancellationToken stopping)
    {
        _stopped = Task.WhenAll(
            Task.Run(() => RunAsync("deployments", ListDeploymentsAsync, WatchDeployments, _deploymentsReady, stopping)),
            Task.Run(() => RunAsync("replicasets", ListReplicaSetsAsync, WatchReplicaSets, _replicaSetsReady, stopping)));
    }

    public IDisposable Subscribe(string @namespace, string rollout, string deployment, Action onChange)
    {
        var subscription = new Subscription(this, @namespace, rollout, deployment, onChange);
        _subscriptions.TryAdd(subscription, 0);
        return subscription;
    }

    private async Task RunAsync(
        string kind,
        Func<CancellationToken, Task<string>> list,
        Func<string, CancellationToken, IAsyncEnumerable<(WatchEventType Type, IKubernetesObject<V1ObjectMeta> Object)>> watch,
        TaskCompletionSource ready,
        CancellationToken stopping)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        string? resourceVersion = null;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    resourceVersion = await list(stopping);
                    ready.TrySetResult();
                    WakeAll(); // anything may have changed while we were not watching
                }

                await foreach (var (type, obj) in watch(resourceVersion, stopping))
                {
                    if (type == WatchEventType.Error)
                    {
                        resourceVersion = null; // 410 Expired: our version is gone, list again
                        break;
                    }
                    resourceVersion = obj.Metadata?.ResourceVersion ?? resourceVersion;
                    if (type != WatchEventType.Bookmark && Changed(type, obj)) Dispatch(obj);
                }
                backoff = TimeSpan.FromMilliseconds(200);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or IOException or OperationCanceledException or KubernetesException)
            {
                if (ex is HttpOperationException { Response.StatusCode: System.Net.HttpStatusCode.Gone }) resourceVersion = null;
                _logger.LogWarning("Watch of {Kind} in cluster {Cluster} failed ({Error}); retrying in {Backoff}",
                    kind, _cluster, ex.GetType().Name, backoff);
                try { await Task.Delay(backoff, _time, stopping); }
                catch (OperationCanceledException) { break; }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private async Task<string> ListDeploymentsAsync(CancellationToken ct) =>
        (await _client.AppsV1.ListDeploymentForAllNamespacesAsync(limit: 1, cancellationToken: ct)).Metadata.ResourceVersion;

    private async Task<string> ListReplicaSetsAsync(CancellationToken ct) =>
        (await _client.AppsV1.ListReplicaSetForAllNamespacesAsync(labelSelector: RolloutHashLabel, limit: 1, cancellationToken: ct)).Metadata.ResourceVersion;

    private async IAsyncEnumerable<(WatchEventType, IKubernetesObject<V1ObjectMeta>)> WatchDeployments(
        string resourceVersion, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var (type, item) in _client.AppsV1.WatchListDeploymentForAllNamespacesAsync(
                           resourceVersion: resourceVersion, timeoutSeconds: 300, cancellationToken: ct))
            yield return (type, item);
    }

    private async IAsyncEnumerable<(WatchEventType, IKubernetesObject<V1ObjectMeta>)> WatchReplicaSets(
        string resourceVersion, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var (type, item) in _client.AppsV1.WatchListReplicaSetForAllNamespacesAsync(
                           labelSelector: RolloutHashLabel, resourceVersion: resourceVersion, timeoutSeconds: 300, cancellationToken: ct))
            yield return (type, item);
    }

    /// <summary>
    /// Whether the object changed in a way a rollout can act on. The Deployment controller rewrites a Deployment's
    /// status many times per rollout (observedGeneration, updated replicas, conditions) and the ReplicaSet controller
    /// does the same for ReplicaSets; each wake-up costs a full observation, so only changes of what the planner reads
    /// wake rollouts: a Deployment's generation (its spec) and available pods (deletion waits for them), a
    /// ReplicaSet's desired, current, ready and available counts and its annotations.
    /// </summary>
    private bool Changed(WatchEventType type, IKubernetesObject<V1ObjectMeta> obj)
    {
        var key = $"{obj.GetType().Name}/{obj.Metadata?.NamespaceProperty}/{obj.Metadata?.Name}";
        if (type == WatchEventType.Deleted)
        {
            _fingerprints.TryRemove(key, out _);
            return true;
        }
        var fingerprint = obj switch
        {
            V1Deployment d => $"{d.Metadata.Generation}/{d.Status?.AvailableReplicas}",
            V1ReplicaSet r => $"{r.Spec?.Replicas}/{r.Status?.Replicas}/{r.Status?.ReadyReplicas}/{r.Status?.AvailableReplicas}/"
                              + string.Join(",", (r.Metadata.Annotations ?? new Dictionary<string, string>()).OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}")),
            _ => null,
        };
        if (fingerprint is null) return true;
        var previous = _fingerprints.GetValueOrDefault(key);
        _fingerprints[key] = fingerprint;
        return previous != fingerprint;
    }

    private void Dispatch(IKubernetesObject<V1ObjectMeta> obj)
    {
        var meta = obj.Metadata;
        if (meta is null) return;
        var rolloutOwner = meta.OwnerReferences?.FirstOrDefault(o => o.Kind == "Rollout")?.Name;
        foreach (var subscription in _subscriptions.Keys)
        {
            if (subscription.Namespace != meta.NamespaceProperty) continue;
            var matches = obj is V1Deployment
                ? subscription.Deployment == meta.Name
                : subscription.Rollout == rolloutOwner;
            if (matches) subscription.Notify();
        }
    }

    private void WakeAll()
    {
        foreach (var subscription in _subscriptions.Keys) subscription.Notify();
    }

    private sealed class Subscription(ClusterWatch owner, string @namespace, string rollout, string deployment, Action onChange) : IDisposable
    {
        public string Namespace { get; } = @namespace;
        public string Rollout { get; } = rollout;
        public string Deployment { get; } = deployment;

        public void Notify()
        {
            try { onChange(); }
            catch (Exception ex) { owner._logger.LogWarning(ex, "A change subscriber of cluster {Cluster} threw", owner._cluster); }
        }

        public void Dispose() => owner._subscriptions.TryRemove(this, out _);
    }
}
