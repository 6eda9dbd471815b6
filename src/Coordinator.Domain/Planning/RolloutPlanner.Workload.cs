using Coordinator.Domain.Actions;
using Coordinator.Domain.State;

namespace Coordinator.Domain.Planning;

/// <summary>
/// workloadRef <c>scaleDown</c> (§4.3) as Argo documents it, on every revision: <c>onsuccess</c> scales the Deployment to 0
/// once the rollout is Healthy, <c>progressively</c> keeps it at N minus the rollout's ready pods (0 once Healthy),
/// <c>never</c> (or any other spelling) leaves it alone. Argo's code acts at revision 1 only (#4681, #4935), so a
/// Deployment scaled back up later (a GitOps sync, a user) kept its pods running beside the rollout's for good.
/// </summary>
public static partial class RolloutPlanner
{
    private static void ReconcileWorkloadScaleDown(PassContext ctx)
    {
        var mode = ctx.Spec.WorkloadRef?.ScaleDown;
        if (mode is not ("onsuccess" or "progressively"))
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
