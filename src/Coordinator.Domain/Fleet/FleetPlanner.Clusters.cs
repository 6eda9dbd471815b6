namespace Coordinator.Domain.Fleet;

public static partial class FleetPlanner
{
    /// <summary>
    /// Each cluster in progress against what its Rollout reported: Healthy on the new revision, failed (Degraded,
    /// aborted, timed out), or unreachable past clusterTimeout (the <c>unreachable</c> policy decides). A write that
    /// has not landed yet is tried again.
    /// </summary>
    private static FleetRunState JudgeClusters(
        FleetSpec spec, FleetRunState state, IReadOnlyDictionary<string, ClusterProgress> clusters, DateTimeOffset now,
        List<FleetAction> actions, WakeTime wake)
    {
        foreach (var cluster in state.ClustersIn(FleetClusterState.Progressing).ToList())
        {
            var progress = clusters.GetValueOrDefault(cluster.Name);
            var judged = Judge(spec, cluster, progress, now);
            if (judged.State == FleetClusterState.Progressing)
            {
                var deadline = TimedFrom(judged, now) + spec.ClusterTimeout;
                if (deadline > now) wake.Add(deadline);
                if (!judged.Updated)
                {
                    if (judged.NextAttemptAt is { } retry && retry > now) wake.Add(retry);
                    else actions.Add(new StartCluster(judged.Name));
                }
            }
            else
            {
                judged = judged with { FinishedAt = now, NextAttemptAt = null };
                // A failed or skipped cluster whose Deployment was written goes back to its stable revision.
                if (judged.State is FleetClusterState.Failed or FleetClusterState.Skipped && judged.Updated && progress?.Aborted != true && !judged.AbortSent)
                {
                    actions.Add(new AbortCluster(judged.Name));
                    judged = judged with { AbortSent = true };
                }
            }
            if (judged != cluster) state = state.WithCluster(judged);
        }
        return state;
    }

    private static FleetClusterRun Judge(FleetSpec spec, FleetClusterRun cluster, ClusterProgress? progress, DateTimeOffset now)
    {
        if (cluster.Updated && progress is not null)
        {
            // Once written, reachability is what the cluster's Rollout last saw of its API server.
            // A new record only when it changes: every pass judges every cluster in progress (hundreds in a large wave).
            DateTimeOffset? unreachableSince = progress.LastCallFailure is null ? null : progress.FailingSince ?? cluster.UnreachableSince ?? now;
            if (unreachableSince != cluster.UnreachableSince) cluster = cluster with { UnreachableSince = unreachableSince };
            if (cluster.TargetHash is { } target && progress.HealthyOn(target)) return cluster with { State = FleetClusterState.Healthy };
            if (!progress.Exists) return Failed(cluster, "the Rollout no longer exists in the cluster");
            if (progress.Aborted) return Failed(cluster, "the Rollout was aborted" + Detail(progress.Message));
            if (progress.Phase == "Degraded") return Failed(cluster, "the Rollout is Degraded" + Detail(progress.Message));
        }

        if (now - TimedFrom(cluster, now) < spec.ClusterTimeout) return cluster;
        if (cluster.UnreachableSince is { } since)
        {
            var reason = $"unreachable since {FleetMessages.Clock(since)} (clusterTimeout {FleetMessages.Duration(spec.ClusterTimeout)})";
            return spec.Unreachable switch
            {
                UnreachablePolicy.Skip => cluster with { State = FleetClusterState.Skipped, FailureReason = reason },
                UnreachablePolicy.Fail => Failed(cluster, reason),
                _ => cluster, // wait: it keeps its place in the wave
            };
        }
        return Failed(cluster, $"not Healthy on the new revision within clusterTimeout {FleetMessages.Duration(spec.ClusterTimeout)}");
    }

    /// <summary>clusterTimeout runs from the write (a cluster that was unreachable gets its full time once it answers), else from the start.</summary>
    private static DateTimeOffset TimedFrom(FleetClusterRun cluster, DateTimeOffset now) => cluster.WrittenAt ?? cluster.StartedAt ?? now;

    private static FleetClusterRun Failed(FleetClusterRun cluster, string reason) =>
        cluster with { State = FleetClusterState.Failed, FailureReason = reason };

    private static string Detail(string message) => string.IsNullOrEmpty(message) ? "" : $": {message}";
}
