using Coordinator.Domain.Actions;
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
/// failure), re-observe, call again with <see cref="Decision.NewStatus"/>; repeat until a decision has no actions,
/// then sleep until <see cref="Decision.WakeAt"/> or a watch event. Argo ends a pass after some writes and lets the
/// status write trigger the next pass; here status-only passes are chained inside one call (the observation cannot
/// have changed), so every returned decision either writes something or is a fixpoint. Chaining stops before cluster
/// writes that follow emitted events: those events and their status come back alone, to be persisted first. A
/// decision with only events leaves the observation valid, so the caller may decide again without re-reading.
/// </remarks>
public static partial class RolloutPlanner
{
    private const int MaxChainedPasses = 12;

    public static Decision Decide(RolloutSpec spec, RolloutStatus status, ClusterObservation observed, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(observed);
        if (OwnerPrerequisite(spec, status, observed) is { } prerequisite)
        {
            return prerequisite;
        }

        var actions = new List<RolloutAction>();
        var current = status;
        IReadOnlyList<DateTimeOffset> wakeTimes = [];
        for (var pass = 0; pass < MaxChainedPasses; pass++)
        {
            var context = new PassContext(spec, current, observed, now);
            RunPass(context);
            if (actions.Count > 0 && context.HasClusterWrites)
            {
                // The chained passes so far only changed status and emitted events. Hand them back before this pass's
                // writes, so that the caller persists them first: should a write then fail, the retry neither shows an
                // older step nor emits the same events again (Argo also persists a pass before the next one writes).
                break;
            }

            actions.AddRange(context.Actions);
            wakeTimes = context.WakeTimes;
            var changed = !StatusComparer.AreEqual(current, context.Status);
            current = context.Status;
            if (context.HasClusterWrites || !changed)
            {
                break;
            }
        }

        var future = wakeTimes.Where(t => t > now).ToList();
        return new Decision(current, WithOwnerData(spec, current, observed, actions), future.Count > 0 ? future.Min() : null);
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

        if (ctx.Status.CurrentPodHash != ctx.DesiredHash || ctx.Status.CurrentStepHash != StepsHash(ctx.Steps))
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
