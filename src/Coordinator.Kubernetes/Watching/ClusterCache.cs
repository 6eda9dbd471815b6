using System.Text.Json;
using k8s.Models;

namespace Coordinator.Kubernetes.Watching;

/// <summary>
/// What the watches of one cluster know: the Deployments, the rollout-owned ReplicaSets, the Services, the Istio
/// VirtualServices and the rollouts' owner ConfigMaps of every namespace (or of the namespaces the cluster is managed
/// in), each at its latest version. Rollouts decide on it instead of reading six
/// objects per look, as Argo decides on its informer caches; a look is only as old as the watch's latency, and every
/// write still carries the resourceVersion it saw, so a stale look costs a 409 and a fresh read, never a lost update.
/// </summary>
internal sealed class ClusterCache
{
    private volatile bool _deploymentsSynced;
    private volatile bool _replicaSetsSynced;
    private volatile bool _servicesSynced;
    private volatile bool _virtualServicesSynced;
    private volatile bool _configMapsSynced;

    public ObjectCache<V1Deployment> Deployments { get; } = new(d => d.Metadata?.ResourceVersion);

    /// <summary>Only those labelled <c>rollouts-pod-template-hash</c>, the ones a Rollout can own.</summary>
    public ObjectCache<V1ReplicaSet> ReplicaSets { get; } = new(rs => rs.Metadata?.ResourceVersion);

    public ObjectCache<V1Service> Services { get; } = new(s => s.Metadata?.ResourceVersion);

    /// <summary>As the API server sent them (a <see cref="JsonElement"/> is immutable, so looks can share it).</summary>
    public ObjectCache<CustomObject> VirtualServices { get; } = new(vs => vs.ResourceVersion);

    /// <summary>Only the rollouts' owner ConfigMaps (labelled <c>app.kubernetes.io/managed-by=coordinator</c>).</summary>
    public ObjectCache<V1ConfigMap> ConfigMaps { get; } = new(c => c.Metadata?.ResourceVersion);

    /// <summary>True once every kind has been listed: from then on the cache can answer a whole look.</summary>
    public bool Synced => _deploymentsSynced && _replicaSetsSynced && _servicesSynced && _virtualServicesSynced && _configMapsSynced;

    internal void MarkSynced(WatchedKind kind)
    {
        switch (kind)
        {
            case WatchedKind.Deployments: _deploymentsSynced = true; break;
            case WatchedKind.ReplicaSets: _replicaSetsSynced = true; break;
            case WatchedKind.Services: _servicesSynced = true; break;
            case WatchedKind.VirtualServices: _virtualServicesSynced = true; break;
            case WatchedKind.ConfigMaps: _configMapsSynced = true; break;
        }
    }
}

internal enum WatchedKind
{
    Deployments,
    ReplicaSets,
    Services,
    VirtualServices,
    ConfigMaps,
}

/// <summary>A custom object as the API server sent it.</summary>
internal sealed class CustomObject(JsonElement json)
{
    public JsonElement Json { get; } = json;

    public string? Namespace { get; } = Metadata(json, "namespace");

    public string? Name { get; } = Metadata(json, "name");

    public string? ResourceVersion { get; } = Metadata(json, "resourceVersion");

    private static string? Metadata(JsonElement json, string field) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty("metadata", out var metadata)
        && metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty(field, out var value)
        && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
