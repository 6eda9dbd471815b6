namespace Coordinator.Kubernetes.Clusters;

/// <summary>
/// One target cluster as configured: a name, labels for fleet selection, and how to reach its API
/// server — either a kubeconfig (path + context) or a plain server URL (simulated clusters).
/// </summary>
public sealed record ClusterDefinition
{
    public required string Name { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public string? KubeconfigPath { get; init; }
    public string? Context { get; init; }
    public Uri? ServerUrl { get; init; }

    /// <summary>
    /// The namespaces the coordinator manages in this cluster; empty: all. When set, the cluster's watches list and watch
    /// in these namespaces only, so a Role + RoleBinding per namespace grants all the coordinator needs there.
    /// </summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];
}
