using Coordinator.Domain.Actions;

namespace Coordinator.Domain.Planning;

/// <summary>
/// <c>spec.restartAt</c>, as Argo's <c>RolloutPodRestarter</c> (rollout/restart.go): pods of the rollout's ReplicaSets
/// created before restartAt are evicted, as many per pass as keeps available pods at or above
/// max(replicas, total RS replicas) − max(maxUnavailable, 1); a terminating pod is not evicted again. Once no pod is
/// older than restartAt
/// (or the last ones were evicted in this pass), <c>status.restartedAt</c> records it.
/// </summary>
public static partial class RolloutPlanner
{
    private static void ReconcileRestart(PassContext ctx)
    {
        if (ctx.Spec.RestartAt is not { } restartAt)
        {
            return;
        }

        if (ctx.Now < restartAt)
        {
            ctx.WakeAt(restartAt); // checkEnqueueRollout
            return;
        }

        if (!RolloutRestart.IsDue(ctx.Spec, ctx.Status, ctx.Now) || ctx.Observed.Pods is not { } allPods)
        {
            return;
        }

        var replicaSets = ctx.Observed.ReplicaSets;
        var priority = replicaSets
            .OrderBy(rs => rs == ctx.StableRS ? 0 : rs == ctx.NewRS ? 1 : 2)
            .ThenBy(rs => rs.CreationTimestamp)
            .Select((rs, i) => (rs.Name, i))
            .ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        var pods = allPods
            .Where(p => p.OwnerReplicaSet is { } owner && priority.ContainsKey(owner))
            .OrderBy(p => priority[p.OwnerReplicaSet!])
            .ThenBy(p => p.CreationTimestamp)
            .ThenBy(p => p.Name, StringComparer.Ordinal)
            .ToList();

        var totalReplicas = replicaSets.Sum(rs => rs.Replicas);
        var minReady = TimeSpan.FromSeconds(RolloutDefaults.GetMinReadySeconds(ctx.Spec));
        var available = pods.Count(p => !p.Terminating && p.ReadySince is { } ready && ready + minReady <= ctx.Now);
        var concurrentRestart = Math.Max(MaxUnavailable(ctx), 1);
        var canRestart = available - (Math.Max(ctx.Replicas, totalReplicas) - concurrentRestart);

        var needsRestart = 0;
        var restarted = 0;
        foreach (var pod in pods.Where(p => p.CreationTimestamp < restartAt))
        {
            needsRestart++;
            if (canRestart <= 0 || pod.Terminating)
            {
                continue;
            }

            ctx.Add(new EvictPod(pod.Name));
            canRestart--;
            restarted++;
        }

        if (needsRestart == restarted)
        {
            // Every old pod is gone or going in this pass: Argo records the restart at once.
            ctx.Status = ctx.Status with { RestartedAt = restartAt };
        }
        else
        {
            // Evicted pods (and their replacements) are seen on the next look; Argo requeues after restartPodCheckTime.
            ctx.WakeAt(ctx.Now + RolloutRestart.PodCheckInterval);
        }
    }

    /// <summary><c>replicasetutil.MaxUnavailable</c>: the resolved maxUnavailable, at most the replica count.</summary>
    private static int MaxUnavailable(PassContext ctx) =>
        ctx.Replicas == 0 ? 0 : Math.Min(RolloutDefaults.ResolveFenceposts(ctx.Spec, ctx.Replicas).MaxUnavailable, ctx.Replicas);
}
