using Coordinator.Abstractions;

namespace Coordinator.Grpc;

/// <summary>The one label-selector match of clusters: a cluster is selected when its labels contain every pair of the selector.</summary>
internal static class ClusterSelection
{
    public static bool HasLabels(this ClusterInfo cluster, IEnumerable<KeyValuePair<string, string>> selector) =>
        selector.All(kv => cluster.Labels.TryGetValue(kv.Key, out var value) && value == kv.Value);
}
