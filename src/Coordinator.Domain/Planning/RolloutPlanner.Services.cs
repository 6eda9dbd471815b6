using Coordinator.Domain.Actions;
using Coordinator.Domain.Observation;

namespace Coordinator.Domain.Planning;

/// <summary>Stable and canary Service selectors (rollout/service.go <c>reconcileStableAndCanaryService</c>, §3.6).</summary>
public static partial class RolloutPlanner
{
    private static void ReconcileServices(PassContext ctx)
    {
        // Stable first: at the end of an update the stable Service must select the new RS before the weights go back.
        EnsureServiceTarget(ctx, ctx.Canary.StableService, ctx.StableRS);

        // Abort points the canary Service back at the stable RS (Argo does it in the traffic step, §3.7 rule 3).
        var canaryTarget = ctx.IsAborted && !ctx.IsFullyPromoted ? ctx.StableRS : ctx.NewRS;
        EnsureServiceTarget(ctx, ctx.Canary.CanaryService, canaryTarget);
    }

    /// <summary>
    /// Patch the Service's hash selector to <paramref name="target"/> when the gate allows it (§3.6):
    /// a Service we do not manage yet is adopted only when the RS is fully available; a managed one needs at least one
    /// available pod. Unlike Argo's abort path we never point a selector at an RS with no available pod (#1026).
    /// </summary>
    private static void EnsureServiceTarget(PassContext ctx, string? serviceName, ObservedReplicaSet? target)
    {
        if (string.IsNullOrEmpty(serviceName) || target is null || ctx.Observed.FindService(serviceName) is not { } service)
        {
            return;
        }

        var current = PassContext.SelectedHash(service);
        if (current == target.PodTemplateHash || target.AvailableReplicas == 0)
        {
            return;
        }

        var managed = service.Annotations.ContainsKey(ReplicaSetAnnotations.ManagedByRollouts);
        var fullyAvailable = target.Replicas > 0 && target.AvailableReplicas >= target.Replicas;
        if (!managed && !fullyAvailable)
        {
            return;
        }

        ctx.Add(new SwitchServiceSelector(serviceName, current, target.PodTemplateHash));
        if (!managed)
        {
            ctx.Add(new SetServiceAnnotation(serviceName, ReplicaSetAnnotations.ManagedByRollouts, ctx.RolloutName));
        }

        ctx.Add(RolloutEvents.SwitchService(serviceName, current ?? "", target.PodTemplateHash));
    }
}
