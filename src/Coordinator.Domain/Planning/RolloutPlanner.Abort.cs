using Coordinator.Domain.Actions;
using Coordinator.Domain.Observation;

namespace Coordinator.Domain.Planning;

/// <summary>Abort (§3.13): traffic and the canary Service go back to stable; the canary RS is scaled down after
/// abortScaleDownDelaySeconds; the rollout is Degraded until retry or the template is reverted.</summary>
public static partial class RolloutPlanner
{
    /// <summary>
    /// The canary RS keeps its size until the stable RS is fully available, then gets a deadline annotation and goes to
    /// 0 once it passed. An explicit abortScaleDownDelaySeconds of 0 keeps it forever. We also wait until neither the
    /// canary Service nor any VirtualService sends it traffic (observed), which Argo assumes.
    /// </summary>
    private static bool ReconcileAbortedCanary(PassContext ctx, ObservedReplicaSet canary)
    {
        var delay = RolloutDefaults.GetAbortScaleDownDelaySeconds(ctx.Spec);
        if (canary.Replicas == 0 || delay is null)
        {
            return false;
        }

        if (PassContext.SelectedHash(ctx.CanaryService) == canary.PodTemplateHash || !ObservedCanaryWeightIsZero(ctx))
        {
            return false;
        }

        if (canary.ScaleDownDeadline is null
            && (ctx.StableRS is not { Replicas: > 0 } stable || stable.AvailableReplicas < stable.Replicas))
        {
            return false;
        }

        if (!ScaleDownDeadlinePassed(ctx, canary, delay.Value))
        {
            return canary.ScaleDownDeadline is null; // the annotation was planned: that is this pass's RS write
        }

        Scale(ctx, canary, 0);
        return true;
    }

    private static bool ObservedCanaryWeightIsZero(PassContext ctx)
    {
        var canaryService = ctx.Canary.CanaryService ?? "";
        foreach (var (reference, _) in IstioRoutes.References(ctx.Spec))
        {
            var (name, @namespace) = IstioRoutes.ResolveName(reference.Name ?? "", ctx.Observed.Namespace);
            if (ctx.Observed.FindVirtualService(name, @namespace) is not { } vs)
            {
                continue;
            }

            var (routes, _) = IstioRoutes.SelectHttpRoutes(reference, vs);
            if (routes.Any(r => (IstioRoutes.ObservedWeight(r, canaryService) ?? 0) > 0))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Status side of an abort (<c>syncRolloutStatusCanary</c> (c)): pauses dropped, index back to 0,
    /// Progressing=False RolloutAborted, one Warning event when the condition appears.</summary>
    private static void ApplyAbortStatus(PassContext ctx)
    {
        var stepCount = ctx.Steps.Count;
        var message = Conditions.AbortedMessage(ctx.Status.CurrentRevision);
        ctx.Status = ctx.Status with
        {
            AbortedAt = ctx.Status.AbortedAt ?? TruncateToSeconds(ctx.Now),
            PauseConditions = [],
            ControllerPause = false,
            CurrentStepIndex = stepCount == 0 ? null : ctx.DesiredHash == ctx.Status.StableRS ? stepCount : 0,
        };
        var alreadyAborted = Conditions.Find(ctx.Status, Conditions.Progressing)?.Reason == Conditions.RolloutAbortedReason;
        ctx.Status = Conditions.Set(ctx.Status, Conditions.Progressing, Conditions.False, Conditions.RolloutAbortedReason, message, ctx.Now);
        if (!alreadyAborted)
        {
            ctx.Add(RolloutEvents.Aborted(message));
        }
    }
}
