using Coordinator.Domain.Actions;
using Coordinator.Domain.State;

namespace Coordinator.Domain.Planning;

/// <summary>workloadRef <c>scaleDown</c> (§4.3): only at revision 1, like Argo (issues #4681, #4935).</summary>
public static partial class RolloutPlanner
{
    private static void ReconcileWorkloadScaleDown(PassContext ctx)
    {
        var mode = ctx.Spec.WorkloadRef?.ScaleDown;
        if (mode is not ("onsuccess" or "progressively") || ctx.Status.CurrentRevision != 1)
        {
            return;
        }

        var deployment = ctx.Deployment;
        var current = deployment.Replicas ?? 1;
        var wasHealthy = ctx.Start.Phase == RolloutPhase.Healthy;
        int target;
        if (mode == "onsuccess")
        {
            if (!wasHealthy || !ctx.IsFullyPromoted)
            {
                return;
            }

            target = 0;
        }
        else
        {
            target = wasHealthy ? 0 : Math.Max(0, ctx.Replicas - ctx.Observed.ReplicaSets.Sum(rs => rs.ReadyReplicas));
        }

        if (current != target)
        {
            ctx.Add(new ScaleDeployment(deployment.Name, current, target));
        }
    }
}
