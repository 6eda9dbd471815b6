namespace Coordinator.Domain.Fleet;

public static partial class FleetPlanner
{
    /// <summary>
    /// Every cluster whose Deployment was written goes back to its previous template, last wave first, at most the
    /// wave's maxParallel at once; a cluster is Reverted once its Rollout is back on the previous hash at 100/0.
    /// </summary>
    private static FleetRunState Revert(
        FleetPlan plan, FleetRunState state, IReadOnlyDictionary<string, ClusterProgress> clusters, DateTimeOffset now,
        List<FleetAction> actions, WakeTime wake)
    {
        foreach (var cluster in state.ClustersIn(FleetClusterState.Reverting).ToList())
        {
            if (!cluster.RevertWritten)
            {
                if (cluster.NextAttemptAt is { } retry && retry > now) wake.Add(retry);
                else actions.Add(new RevertCluster(cluster.Name));
                continue;
            }
            if (clusters.GetValueOrDefault(cluster.Name) is { } progress && cluster.PreviousHash is { } previous && progress.RevertedTo(previous))
                state = state.WithCluster(cluster with { State = FleetClusterState.Reverted, FinishedAt = now, NextAttemptAt = null });
        }

        for (var index = plan.Waves.Count - 1; index >= 0; index--)
        {
            var members = state.Clusters.Where(c => c.Wave == index).ToList();
            var reverting = members.Count(c => c.State == FleetClusterState.Reverting);
            foreach (var cluster in members.Where(NeedsRevert))
            {
                if (reverting >= plan.Waves[index].MaxParallel) break;
                state = state.WithCluster(cluster with { State = FleetClusterState.Reverting, StartedAt = now, FinishedAt = null, RevertWritten = false, NextAttemptAt = null });
                actions.Add(new RevertCluster(cluster.Name));
                reverting++;
            }
            // A wave is reverted completely before the one before it starts.
            if (state.Clusters.Any(c => c.Wave == index && (c.State == FleetClusterState.Reverting || NeedsRevert(c)))) break;
        }
        return state;
    }

    /// <summary>Updated and not yet on its way back.</summary>
    private static bool NeedsRevert(FleetClusterRun cluster) =>
        cluster.Updated && cluster.State is not (FleetClusterState.Reverting or FleetClusterState.Reverted or FleetClusterState.Progressing);
}
