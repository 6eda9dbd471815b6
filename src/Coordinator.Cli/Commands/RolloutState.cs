using Coordinator.Grpc.V1;

namespace Coordinator.Cli.Commands;

/// <summary>The latest state per cluster of a watched rollout: the first reply has every cluster, later ones only the changed cluster.</summary>
internal sealed class RolloutState
{
    private readonly List<ClusterRollout> _clusters = [];

    public IReadOnlyList<ClusterRollout> Clusters => _clusters;

    /// <summary>Merges a reply and returns the entries it changed.</summary>
    public IReadOnlyList<ClusterRollout> Apply(RolloutReply reply)
    {
        foreach (var cluster in reply.Clusters)
        {
            var index = _clusters.FindIndex(c => c.Cluster == cluster.Cluster);
            if (index < 0)
                _clusters.Add(cluster);
            else
                _clusters[index] = cluster;
        }
        return reply.Clusters;
    }
}
