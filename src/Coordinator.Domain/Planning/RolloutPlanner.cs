using Coordinator.Domain.Observation;
using Coordinator.Domain.State;
using Coordinator.Domain.Validation;

namespace Coordinator.Domain.Planning;

/// <summary>
/// The pure, level-triggered reconcile of one canary Rollout with Istio traffic routing and a workloadRef to a
/// Deployment (ROLLOUT-BEHAVIOUR §3). Split by concern like Argo's <c>rollout/*.go</c>: ReplicaSets, services,
/// traffic, steps, scale-down, abort, status.
/// </summary>
/// <remarks>
/// Loop contract: call <see cref="Decide"/>, apply <see cref="Decision.Actions"/> in order (stop at the first
/// failure), re-observe when a cluster object was written (events change nothing the planner observes), call again with
/// <see cref="Decision.NewStatus"/>; repeat until a decision has no actions and leaves the status as it was, then sleep
/// until <see cref="Decision.WakeAt"/> or a watch event. Each decision is one pass in Argo's order, and the caller's
/// loop is the only one: a pass that only moves the status (a pause ended, a step completed) comes back on its own, its
/// events with it, so that the caller holds that status before the next pass's writes: should a write then fail, the
/// retry neither shows an older step nor emits the same events again (Argo also persists a pass before the next one
/// writes).
/// </remarks>
public static partial class RolloutPlanner
{
    public static Decision Decide(RolloutSpec spec, RolloutStatus status, ClusterObservation observed, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(observed);
        if (OwnerPrerequisite(spec, status, observed) is { } prerequisite)
        {
            return prerequisite;
        }

        var context = new PassContext(spec, status, observed, now);
        RunPass(context);
        var future = context.WakeTimes.Where(t => t > now).ToList();
        var statusKept = StatusComparer.AreEqual(status, context.Status);
        return new Decision(context.Status, WithOwnerData(spec, context.Status, observed, context.Actions, statusKept), future.Count > 0 ? future.Min() : null)
        {
            StatusKept = statusKept,
        };
    }

    /// <summary>One pass in Argo's order (§3.4); returns early where Argo ends the pass.</summary>
    private static void RunPass(PassContext ctx)
    {
        var validation = RolloutValidator.Validate(ctx.Spec, ctx.Observed);
        if (!validation.IsValid)
        {
            MarkInvalid(ctx, validation);
            return;
        }

        ctx.Status = Conditions.Remove(ctx.Status, Conditions.InvalidSpec);
        ClassifyReplicaSets(ctx);
        if (ctx.NewRS is null)
        {
            CreateNewReplicaSet(ctx);
            FinishStatus(ctx);
            return;
        }

        if (BumpReusedReplicaSetRevision(ctx))
        {
            FinishStatus(ctx);
            return;
        }

        if (ctx.Status.CurrentPodHash != ctx.DesiredHash || ctx.Status.CurrentStepHash != StepsHash(ctx.Spec))
        {
            ResetForNewRevision(ctx);
            FinishStatus(ctx);
            return;
        }

        if (ctx.IsFullyPromoted && ctx.Status.Abort)
        {
            // "Removing abort condition from fully promoted rollout" (§3.2 step 5).
            ctx.Status = ctx.Status with { Abort = false, AbortedAt = null };
        }

        ReconcileRestart(ctx);
        ReconcileEphemeralMetadata(ctx);
        DeleteReplicaSetsBeyondHistoryLimit(ctx);
        ReconcileServices(ctx);
        ReconcileTraffic(ctx);
        var scaled = !ctx.Spec.Paused && ReconcileReplicaSets(ctx);
        if (!scaled && !ctx.Spec.Paused)
        {
            ReconcilePause(ctx);
        }

        SyncRolloutStatus(ctx);
        ReconcileWorkloadScaleDown(ctx);
        FinishStatus(ctx);
    }

    private static void MarkInvalid(PassContext ctx, ValidationResult validation)
    {
        ctx.Status = Conditions.Set(ctx.Status, Conditions.InvalidSpec, Conditions.True, Conditions.InvalidSpecReason, validation.Message!, ctx.Now);
        ctx.Status = PhaseCalculator.Apply(ctx.Spec, ctx.Status);
        ctx.WakeAt(ctx.Now + RolloutDefaults.InvalidSpecRetry);
    }
}
