using System.Collections.Concurrent;
using System.Text.Json;
using Coordinator.Domain.Hashing;
using Coordinator.Domain.Observation;
using Coordinator.Kubernetes.Clusters;
using Coordinator.Kubernetes.Json;
using Coordinator.Kubernetes.Rollouts;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Coordinator.Kubernetes.Watching;

/// <summary>
/// The watches of one cluster, an informer per kind: Deployments, rollout-owned ReplicaSets, Services, Istio
/// VirtualServices and the rollouts' owner ConfigMaps in all namespaces, listed into <see cref="Cache"/>, then followed
/// from the list's resourceVersion and re-listed when the server says that version is too old. Changes of a Deployment or of a rollout's
/// ReplicaSets also wake the rollouts that subscribed to them. A cluster managed in some namespaces only gets one
/// informer per kind and namespace instead (namespaced list and watch requests), so that a Role per namespace is all
/// the coordinator needs there, as with client-go's namespaced informer factories.
/// </summary>
internal sealed class ClusterWatch
{
    private const string RolloutHashLabel = "rollouts-pod-template-hash";
    private static readonly string OwnerSelector = $"{RolloutOwner.ManagedByLabel}={RolloutOwner.ManagedByValue}";
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    /// <summary>How long the server keeps one watch open (client-go's reflectors ask for 5 to 10 minutes).</summary>
    private const int WatchTimeoutSeconds = 300;

    /// <summary>How much longer than that a watch may stay open before it is taken for hung.</summary>
    private static readonly TimeSpan HungWatchGrace = TimeSpan.FromSeconds(30);

    /// <summary>How often a cluster without the VirtualService resource (no Istio yet) is asked again.</summary>
    private static readonly TimeSpan NotServedRetry = TimeSpan.FromSeconds(60);

    private readonly string _cluster;
    private readonly IKubernetes _client;
    private readonly TimeProvider _time;
    private readonly WatchDeadlines _deadlines;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();
    /// <summary>
    /// What each object last looked like to a rollout, as a 64-bit hash: the key's strings are the cached object's own,
    /// and no text is kept (the text of a ReplicaSet's fingerprint is ~250 bytes; kept, they were 16 MiB at 10,000 clusters).
    /// </summary>
    private readonly ConcurrentDictionary<(Type Kind, string Namespace, string Name), ulong> _fingerprints = new();
    /// <summary>One informer per kind and scope: a managed namespace, or null for all namespaces.</summary>
    private readonly Dictionary<(WatchedKind Kind, string? Scope), TaskCompletionSource> _ready;
    private Task _stopped = Task.CompletedTask;

    /// <param name="namespaces">The namespaces the cluster is managed in; empty: all of them.</param>
    /// <param name="deadlines">The hung-watch deadlines, tied to the token <see cref="Start"/> is given.</param>
    public ClusterWatch(string cluster, IKubernetes client, IReadOnlyCollection<string> namespaces, TimeProvider time, WatchDeadlines deadlines,
        ILogger logger)
    {
        _cluster = cluster;
        _client = client;
        _time = time;
        _deadlines = deadlines;
        _logger = logger;
        IReadOnlyList<string?> scopes = namespaces.Count == 0 ? [null] : [.. namespaces.Distinct(StringComparer.Ordinal)];
        _ready = Enum.GetValues<WatchedKind>().SelectMany(kind => scopes.Select(scope => (kind, scope)))
            .ToDictionary(key => key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    /// <summary>Only the managed namespaces' objects when namespaced: rollouts elsewhere are refused (ManagedNamespaces).</summary>
    public ClusterCache Cache { get; } = new();

    /// <summary>Completes once every kind has been listed and is being watched.</summary>
    public Task Ready => Task.WhenAll(_ready.Values.Select(r => r.Task));

    public Task Stopped => _stopped;

    public void Start(CancellationToken stopping) =>
        _stopped = Task.WhenAll(_ready.Keys.Select(key => Task.Run(() => RunAsync(key.Kind, key.Scope, stopping))));

    public IDisposable Subscribe(string @namespace, string rollout, string deployment, Action onChange)
    {
        var subscription = new Subscription(this, @namespace, rollout, deployment, onChange);
        _subscriptions.TryAdd(subscription, 0);
        return subscription;
    }

    /// <summary>One informer: lists and watches one kind in <paramref name="scope"/> (a namespace, or all when null).</summary>
    private async Task RunAsync(WatchedKind kind, string? scope, CancellationToken stopping)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        string? resourceVersion = null;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null)
                {
                    resourceVersion = await ListAsync(kind, scope, stopping);
                    if (resourceVersion is not null && kind is WatchedKind.Deployments or WatchedKind.ReplicaSets)
                        WakeAll(); // changes may have been missed while not watching
                    _ready[(kind, scope)].TrySetResult();
                    MarkSyncedOnceListed(kind);
                    if (resourceVersion is null)
                    {
                        // Not served (no Istio in this cluster yet): the cache holds none, as a read would find none.
                        await Task.Delay(NotServedRetry, _time, stopping);
                        continue;
                    }
                }

                // The server ends a watch after WatchTimeoutSeconds; one that has not ended well after that is hung
                // (a server that stopped answering while the connection stays up): give up on it and watch again.
                var watchDeadline = _deadlines.After(TimeSpan.FromSeconds(WatchTimeoutSeconds) + HungWatchGrace);
                await foreach (var (type, obj) in WatchAsync(kind, scope, resourceVersion, watchDeadline))
                {
                    if (type == WatchEventType.Error)
                    {
                        resourceVersion = null; // 410 Expired: our version is gone, list again
                        break;
                    }
                    resourceVersion = Apply(type, obj) ?? resourceVersion;
                }
                backoff = TimeSpan.FromMilliseconds(200);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or IOException or OperationCanceledException or KubernetesException
                                           or JsonException or Polly.ExecutionRejectedException)
            {
                if (stopping.IsCancellationRequested) break; // the process is stopping: the connection went with it
                if (ex is HttpOperationException { Response.StatusCode: System.Net.HttpStatusCode.Gone }) resourceVersion = null;
                _logger.LogWarning("Watch of {Kind} in cluster {Cluster}, namespace {Namespace}, failed ({Error}); retrying in {Backoff}",
                    kind, _cluster, scope ?? "(all)", ex.GetType().Name, backoff);
                try { await Task.Delay(backoff, _time, stopping); }
                catch (OperationCanceledException) { break; }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>
    /// The cache answers for a kind once every namespace of it has been listed. (A method of its own: a lambda over
    /// <paramref name="kind"/> in <see cref="RunAsync"/> would be a closure kept for as long as each watch runs.)
    /// </summary>
    private void MarkSyncedOnceListed(WatchedKind kind)
    {
        foreach (var ((readyKind, _), ready) in _ready)
            if (readyKind == kind && !ready.Task.IsCompleted) return;
        Cache.MarkSynced(kind);
    }

    /// <summary>
    /// Lists every object of the kind in <paramref name="scope"/> into the cache; returns the list's resourceVersion, or
    /// null if the kind is not served.
    /// </summary>
    private async Task<string?> ListAsync(WatchedKind kind, string? scope, CancellationToken ct)
    {
        switch (kind)
        {
            case WatchedKind.Deployments:
            {
                var list = scope is null
                    ? await _client.AppsV1.ListDeploymentForAllNamespacesAsync(cancellationToken: ct)
                    : await _client.AppsV1.ListNamespacedDeploymentAsync(scope, cancellationToken: ct);
                Cache.Deployments.Replace(scope, list.Items.Select(d => (d.Metadata.NamespaceProperty, d.Metadata.Name, Remember(d))), list.Metadata.ResourceVersion);
                return list.Metadata.ResourceVersion;
            }
            case WatchedKind.ReplicaSets:
            {
                var list = scope is null
                    ? await _client.AppsV1.ListReplicaSetForAllNamespacesAsync(labelSelector: RolloutHashLabel, cancellationToken: ct)
                    : await _client.AppsV1.ListNamespacedReplicaSetAsync(scope, labelSelector: RolloutHashLabel, cancellationToken: ct);
                Cache.ReplicaSets.Replace(scope, list.Items.Select(rs => (rs.Metadata.NamespaceProperty, rs.Metadata.Name, Remember(rs))), list.Metadata.ResourceVersion);
                return list.Metadata.ResourceVersion;
            }
            case WatchedKind.Services:
            {
                var list = scope is null
                    ? await _client.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: ct)
                    : await _client.CoreV1.ListNamespacedServiceAsync(scope, cancellationToken: ct);
                Cache.Services.Replace(scope, list.Items.Select(s => (s.Metadata.NamespaceProperty, s.Metadata.Name, s)), list.Metadata.ResourceVersion);
                return list.Metadata.ResourceVersion;
            }
            case WatchedKind.ConfigMaps:
            {
                var list = scope is null
                    ? await _client.CoreV1.ListConfigMapForAllNamespacesAsync(labelSelector: OwnerSelector, cancellationToken: ct)
                    : await _client.CoreV1.ListNamespacedConfigMapAsync(scope, labelSelector: OwnerSelector, cancellationToken: ct);
                Cache.ConfigMaps.Replace(scope, list.Items.Select(c => (c.Metadata.NamespaceProperty, c.Metadata.Name, Remember(c))), list.Metadata.ResourceVersion);
                return list.Metadata.ResourceVersion;
            }
            default:
            {
                JsonElement list;
                try
                {
                    list = scope is null
                        ? await _client.CustomObjects.ListCustomObjectForAllNamespacesAsync<JsonElement>(
                            IstioVirtualServices.Group, IstioVirtualServices.Version, IstioVirtualServices.Plural, cancellationToken: ct)
                        : await _client.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(
                            IstioVirtualServices.Group, IstioVirtualServices.Version, scope, IstioVirtualServices.Plural, cancellationToken: ct);
                }
                catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    Cache.VirtualServices.Replace(scope, [], listResourceVersion: null);
                    return null;
                }
                var items = list.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array
                    ? array.EnumerateArray().Select(item => new CustomObject(item.Clone())).ToList()
                    : [];
                var listResourceVersion = new CustomObject(list).ResourceVersion;
                Cache.VirtualServices.Replace(scope, items.Select(vs => (vs.Namespace ?? "", vs.Name ?? "", vs)), listResourceVersion);
                return listResourceVersion ?? "";
            }
        }
    }

    /// <summary>The watch request KubernetesClient's WatchList... methods send, read by <see cref="WatchStream"/>.</summary>
    private IAsyncEnumerable<(WatchEventType Type, object Object)> WatchAsync(WatchedKind kind, string? scope, string resourceVersion, CancellationToken ct)
    {
        var (prefix, plural, labelSelector, readObject) = kind switch
        {
            WatchedKind.Deployments => ("apis/apps/v1", "deployments", null, Typed(Cache.Deployments)),
            WatchedKind.ReplicaSets => ("apis/apps/v1", "replicasets", RolloutHashLabel, Typed(Cache.ReplicaSets)),
            WatchedKind.Services => ("api/v1", "services", null, Typed(Cache.Services)),
            WatchedKind.ConfigMaps => ("api/v1", "configmaps", OwnerSelector, Typed(Cache.ConfigMaps)),
            _ => ($"apis/{IstioVirtualServices.Group}/{IstioVirtualServices.Version}", IstioVirtualServices.Plural, (string?)null,
                KnownOr(Cache.VirtualServices, static (ref Utf8JsonReader reader) => JsonElement.ParseValue(ref reader))),
        };
        var path = scope is null ? $"{prefix}/{plural}" : RawKubernetesRequests.Path(prefix, scope, plural);
        return WatchStream.ReadAsync(_client, path, labelSelector, resourceVersion, WatchTimeoutSeconds, readObject, ct);
    }

    private static WatchObjectReader Typed<T>(ObjectCache<T> cache) where T : class =>
        KnownOr(cache, static (ref Utf8JsonReader reader) => JsonSerializer.Deserialize<T>(ref reader, KubernetesJsonOptions.SharedStrings)!);

    /// <summary>
    /// The cache's own instance when it holds the event's object at that very version, else what <paramref name="read"/>
    /// makes of it. The server sends a write's watch event as the write commits, and the write's answer often arrives
    /// first (41 % of them in the 1,000-cluster fleet benchmark): the coordinator put that answer in the cache already, and
    /// reading the same object again was the most expensive part of its event.
    /// </summary>
    internal static WatchObjectReader KnownOr<T>(ObjectCache<T> cache, WatchObjectReader read) where T : class =>
        (ref Utf8JsonReader reader) =>
        {
            var (ns, name, version) = ObjectJson.Identity(reader);
            if (name is not null && cache.At(ns ?? "", name, version) is { } known)
            {
                reader.Skip();
                return known;
            }
            return read(ref reader);
        };

    /// <summary>Puts one watch event into the cache and wakes whom it concerns; returns its resourceVersion.</summary>
    private string? Apply(WatchEventType type, object obj)
    {
        if (obj is IKubernetesObject<V1ObjectMeta> { Metadata: { } meta } typed)
        {
            if (type == WatchEventType.Bookmark) return meta.ResourceVersion;
            var (ns, name, rv) = (meta.NamespaceProperty ?? "", meta.Name ?? "", meta.ResourceVersion);
            // An echo of what the cache holds (see KnownOr) tells no subscriber anything new: its writer looks at the cache
            // after every write it makes. Its fingerprint is still taken, as the version the next change compares with.
            var echo = type != WatchEventType.Deleted && IsHeld(typed);
            switch (typed)
            {
                case V1Deployment when type == WatchEventType.Deleted: Cache.Deployments.Remove(ns, name, rv); break;
                case V1Deployment d: Cache.Deployments.Upsert(ns, name, d); break;
                case V1ReplicaSet when type == WatchEventType.Deleted: Cache.ReplicaSets.Remove(ns, name, rv); break;
                case V1ReplicaSet rs: Cache.ReplicaSets.Upsert(ns, name, rs); break;
                case V1Service when type == WatchEventType.Deleted: Cache.Services.Remove(ns, name, rv); return rv;
                case V1Service s: Cache.Services.Upsert(ns, name, s); return rv;
                case V1ConfigMap when type == WatchEventType.Deleted: Cache.ConfigMaps.Remove(ns, name, rv); break;
                case V1ConfigMap c: Cache.ConfigMaps.Upsert(ns, name, c); break;
            }
            if (Changed(type, typed) && !echo) Dispatch(typed);
            return rv;
        }
        var custom = obj as CustomObject ?? new CustomObject(obj is JsonElement json ? json.Clone() : JsonSerializer.SerializeToElement(obj));
        if (type == WatchEventType.Deleted) Cache.VirtualServices.Remove(custom.Namespace ?? "", custom.Name ?? "", custom.ResourceVersion);
        else if (type != WatchEventType.Bookmark) Cache.VirtualServices.Upsert(custom.Namespace ?? "", custom.Name ?? "", custom);
        return custom.ResourceVersion;
    }

    /// <summary>Whether the cache holds this very instance (<see cref="KnownOr"/> gave it for an event at its version).</summary>
    private bool IsHeld(IKubernetesObject<V1ObjectMeta> obj)
    {
        var (ns, name) = (obj.Metadata.NamespaceProperty ?? "", obj.Metadata.Name ?? "");
        object? held = obj switch
        {
            V1Deployment => Cache.Deployments.Get(ns, name),
            V1ReplicaSet => Cache.ReplicaSets.Get(ns, name),
            V1Service => Cache.Services.Get(ns, name),
            V1ConfigMap => Cache.ConfigMaps.Get(ns, name),
            _ => null,
        };
        return ReferenceEquals(held, obj);
    }

    /// <summary>Records a listed object's fingerprint, so that only a later change that matters wakes rollouts.</summary>
    private T Remember<T>(T obj) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Changed(WatchEventType.Added, obj);
        return obj;
    }

    /// <summary>
    /// Whether the object changed in a way a rollout can act on (<see cref="ObjectFingerprint"/>). The Deployment
    /// controller rewrites a Deployment's status many times per rollout (observedGeneration, updated replicas, conditions)
    /// and the ReplicaSet controller does the same for ReplicaSets; each wake-up costs a full observation, so only changes
    /// of what the planner reads wake rollouts.
    /// </summary>
    private bool Changed(WatchEventType type, IKubernetesObject<V1ObjectMeta> obj)
    {
        var key = (obj.GetType(), obj.Metadata?.NamespaceProperty ?? "", obj.Metadata?.Name ?? "");
        if (type == WatchEventType.Deleted)
        {
            _fingerprints.TryRemove(key, out _);
            return true;
        }
        if (ObjectFingerprint.Of(obj) is not { } hash) return true;
        var known = _fingerprints.TryGetValue(key, out var previous);
        _fingerprints[key] = hash;
        return !known || previous != hash;
    }

    private void Dispatch(IKubernetesObject<V1ObjectMeta> obj)
    {
        var meta = obj.Metadata;
        if (meta is null) return;
        foreach (var subscription in _subscriptions.Keys)
        {
            if (subscription.Namespace != meta.NamespaceProperty) continue;
            var matches = obj switch
            {
                V1Deployment => subscription.Deployment == meta.Name,
                V1ConfigMap => subscription.OwnerName == meta.Name,
                _ => meta.OwnerReferences?.Any(o => RolloutObserver.IsRolloutOwner(o, subscription.Rollout)) == true,
            };
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
        public string OwnerName { get; } = RolloutOwner.ConfigMapName(rollout);
        public string Deployment { get; } = deployment;

        public void Notify()
        {
            try { onChange(); }
            catch (Exception ex) { owner._logger.LogWarning(ex, "A change subscriber of cluster {Cluster} threw", owner._cluster); }
        }

        public void Dispose() => owner._subscriptions.TryRemove(this, out _);
    }
}
