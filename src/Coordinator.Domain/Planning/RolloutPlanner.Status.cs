using System.Globalization;
using Coordinator.Domain.Actions;

namespace Coordinator.Domain.Planning;

/// <summary>
/// The end of a pass (rollout/canary.go <c>syncRolloutStatusCanary</c>, rollout/sync.go, §3.9, §3.11): full
/// promotion, abort, step advancement; then counts, conditions and phase.
/// </summary>
public static partial class RolloutPlanner
{
    private static void SyncRolloutStatus(PassContext ctx)
    {
        if (ctx.Status.PromoteFull)
        {
            // (a) promote --full skips pauses and the remaining steps.
            ctx.Status = ctx.Status with
            {
                PauseConditions = [],
                ControllerPause = false,
                CurrentStepIndex = ctx.Steps.Count == 0 ? null : ctx.Steps.Count,
            };
        }

        if (ShouldFullPromote(ctx) is { } reason)
        {
            PromoteStable(ctx, reason);
            return;
        }

        if (ctx.IsAborted && !ctx.IsFullyPromoted)
        {
            ApplyAbortStatus(ctx);
            return;
        }

        AdvanceStep(ctx);
    }

    /// <summary><c>shouldFullPromote</c> reasons, checked in Argo's order (§3.11); null = not now.</summary>
    private static string? ShouldFullPromote(PassContext ctx)
    {
        if (ctx.NewRS is not { } newRS || ctx.IsFullyPromoted)
        {
            return null;
        }

        if (ctx.Status.StableRS is null)
        {
            return "Initial deploy"; // no availability check, as Argo
        }

        if (ctx.IsAborted || newRS.AvailableReplicas < ctx.Replicas)
        {
            return null;
        }

        if (ctx.Status.PromoteFull)
        {
            return "Full promotion requested";
        }

        if (IsRollbackWithinWindow(ctx))
        {
            return "Rollback within window";
        }

        return ctx.Steps.Count == 0 || ctx.CurrentStepIndex == ctx.Steps.Count
            ? string.Create(CultureInfo.InvariantCulture, $"Completed all {ctx.Steps.Count} canary steps")
            : null;
    }

    /// <summary><c>promoteStable</c>: the desired RS becomes stable; the event only when the stable hash changes.</summary>
    private static void PromoteStable(PassContext ctx, string reason)
    {
        var previousStable = ctx.Status.StableRS;
        ctx.Status = ctx.Status with
        {
            PauseConditions = [],
            ControllerPause = false,
            Abort = false,
            AbortedAt = null,
            PromoteFull = false,
            CurrentStepIndex = ctx.Steps.Count == 0 ? null : ctx.Steps.Count,
            StableRS = ctx.Status.CurrentPodHash,
        };
        if (previousStable != ctx.Status.StableRS)
        {
            ctx.Add(RolloutEvents.RolloutCompleted(ctx.Status.CurrentRevision ?? 0, ctx.Status.CurrentPodHash!, reason));
        }
    }

    /// <summary>Counts, conditions, phase and timers, computed from the status built so far and the observation.</summary>
    private static void FinishStatus(PassContext ctx)
    {
        var all = ctx.Observed.ReplicaSets;
        var newRS = ctx.NewRS;
        ctx.Status = ctx.Status with
        {
            Replicas = all.Sum(rs => rs.StatusReplicas),
            UpdatedReplicas = newRS?.StatusReplicas ?? 0,
            ReadyReplicas = all.Sum(rs => rs.ReadyReplicas),
            AvailableReplicas = all.Sum(rs => rs.AvailableReplicas),
            WorkloadObservedGeneration = ctx.Observed.Deployment?.Generation.ToString(CultureInfo.InvariantCulture),
            Selector = SelectorString(ctx),
        };

        var now = ctx.Now;
        var status = ctx.Status;
        status = Conditions.Set(status, Conditions.Available,
            status.AvailableReplicas >= ctx.Replicas ? Conditions.True : Conditions.False, Conditions.AvailableReason,
            status.AvailableReplicas >= ctx.Replicas ? Conditions.AvailableMessage : Conditions.NotAvailableMessage, now);
        if (newRS is not null)
        {
            // Argo computes Completed with the other conditions, not in the pass that creates the RS.
            var wasCompleted = Conditions.Find(status, Conditions.Completed)?.Status;
            status = Conditions.Set(status, Conditions.Completed,
                ctx.IsFullyPromoted ? Conditions.True : Conditions.False, Conditions.RolloutCompletedReason, Conditions.RolloutCompletedReason, now);
            if (!ctx.IsFullyPromoted && wasCompleted != Conditions.False)
            {
                ctx.Add(RolloutEvents.RolloutNotCompleted(status.CurrentRevision ?? 0, status.CurrentPodHash ?? ctx.DesiredHash));
            }
        }
        status = ctx.Spec.Paused
            ? Conditions.Set(status, Conditions.Paused, Conditions.True, Conditions.RolloutPausedReason, Conditions.PausedMessage, now)
            : Conditions.Find(status, Conditions.Paused) is not null
                ? Conditions.Set(status, Conditions.Paused, Conditions.False, Conditions.RolloutPausedReason, Conditions.PausedMessage, now)
                : status;
        ctx.Status = status;

        if (newRS is not null && Conditions.Find(ctx.Status, Conditions.InvalidSpec) is null)
        {
            ReconcileProgressing(ctx, newRS.Name);
        }

        ctx.Status = PhaseCalculator.Apply(ctx.Spec, ctx.Status);
    }

    private static string SelectorString(PassContext ctx)
    {
        var labels = ctx.Spec.Selector?.MatchLabels ?? (IReadOnlyDictionary<string, string>?)ctx.Observed.Deployment?.SelectorMatchLabels;
        return labels is null ? "" : string.Join(",", labels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
    }
}
