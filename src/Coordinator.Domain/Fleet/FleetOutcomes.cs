namespace Coordinator.Domain.Fleet;

/// <summary>How the results of the fleet's cluster writes change the run state (the grain reports them back).</summary>
public static class FleetOutcomes
{
    /// <summary>The template change is in the cluster's Deployment.</summary>
    public static FleetRunState Written(FleetRunState state, string cluster, string targetHash, string previousHash, DateTimeOffset now) =>
        state.WithCluster(state.Cluster(cluster) with
        {
            Updated = true, WrittenAt = now, TargetHash = targetHash, PreviousHash = previousHash, UnreachableSince = null, NextAttemptAt = null,
        });

    /// <summary>The previous template is back in the cluster's Deployment.</summary>
    public static FleetRunState RevertWritten(FleetRunState state, string cluster) =>
        state.WithCluster(state.Cluster(cluster) with { RevertWritten = true, UnreachableSince = null, NextAttemptAt = null });

    /// <summary>A write could not reach the cluster: tried again after <see cref="FleetPlanner.WriteRetry"/>.</summary>
    public static FleetRunState Unreachable(FleetRunState state, string cluster, DateTimeOffset now)
    {
        var run = state.Cluster(cluster);
        return state.WithCluster(run with { UnreachableSince = run.UnreachableSince ?? now, NextAttemptAt = now + FleetPlanner.WriteRetry });
    }

    /// <summary>
    /// The cluster refused the write (e.g. the Rollout is gone): the cluster has failed. A refused revert is not tried
    /// again (the cluster no longer counts as updated), so the revert moves on to the other clusters.
    /// </summary>
    public static FleetRunState Refused(FleetRunState state, string cluster, string reason, DateTimeOffset now)
    {
        var run = state.Cluster(cluster);
        var reverting = run.State == FleetClusterState.Reverting;
        return state.WithCluster(run with
        {
            State = FleetClusterState.Failed,
            FailureReason = reverting ? $"revert refused: {reason}" : reason,
            Updated = run.Updated && !reverting,
            FinishedAt = now,
            NextAttemptAt = null,
        });
    }
}
