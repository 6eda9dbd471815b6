using Coordinator.Grpc.V1;

namespace Coordinator.Cli.Rendering;

/// <summary>The <c>status</c> command's line: <c>Paused - CanaryPauseStep</c>, prefixed with the cluster when there are several.</summary>
public static class StatusLine
{
    public static string Render(ClusterRollout c, bool withCluster)
    {
        var prefix = withCluster ? $"{c.Cluster}: " : "";
        if (!string.IsNullOrEmpty(c.Error))
            return $"{prefix}Error - {c.Error}";
        if (!c.Exists)
            return $"{prefix}NotFound - rollout '{c.Name}' not found";
        return string.IsNullOrEmpty(c.Message) ? $"{prefix}{c.Phase}" : $"{prefix}{c.Phase} - {c.Message}";
    }
}
