using Coordinator.Domain.Actions;
using Coordinator.Domain.State;

namespace Coordinator.Domain.Planning;

/// <summary>The Progressing condition and the progress deadline (§2.3, §3.13 "Progress deadline").</summary>
public static partial class RolloutPlanner
{
    private static void ReconcileProgressing(PassContext ctx, string newRSName)
    {
        var existing = Conditions.Find(ctx.Status, Conditions.Progressing);
        if (existing?.Reason == Conditions.RolloutAbortedReason && ctx.IsAborted)
        {
            return; // set by the abort handling
        }

        var now = ctx.Now;
        if (ctx.IsFullyPromoted && ctx.Status.AvailableReplicas >= ctx.Replicas && ctx.Status.UpdatedReplicas >= ctx.Replicas)
        {
            ctx.Status = Conditions.Set(ctx.Status, Conditions.Progressing, Conditions.True, Conditions.NewReplicaSetAvailableReason,
                Conditions.ReplicaSetCompletedMessage(newRSName), now);
            return;
        }

        if (ctx.Spec.Paused)
        {
            ctx.Status = Conditions.Set(ctx.Status, Conditions.Progressing, Conditions.Unknown, Conditions.RolloutPausedReason, Conditions.PausedMessage, now);
            return;
        }

        var resumedFromUserPause = existing?.Reason == Conditions.RolloutPausedReason;
        if (resumedFromUserPause)
        {
            ctx.Status = Conditions.Set(ctx.Status, Conditions.Progressing, Conditions.Unknown, Conditions.RolloutResumedReason, Conditions.ResumedMessage, now);
            return;
        }

        if (existing is null || HasProgressed(ctx) || existing.Reason is Conditions.NewReplicaSetAvailableReason or Conditions.RolloutAbortedReason)
        {
            ctx.Status = Conditions.Set(ctx.Status, Conditions.Progressing, Conditions.True, Conditions.ReplicaSetUpdatedReason,
                Conditions.ReplicaSetProgressingMessage(newRSName), now, bump: true);
            return;
        }

        CheckProgressDeadline(ctx, existing, newRSName);
    }

    /// <summary><c>RolloutProgressing</c>: any sign of progress since the previous status.</summary>
    private static bool HasProgressed(PassContext ctx)
    {
        var before = ctx.Start;
        var after = ctx.Status;
        return before.UpdatedReplicas != after.UpdatedReplicas
            || after.ReadyReplicas > before.ReadyReplicas
            || after.AvailableReplicas > before.AvailableReplicas
            || (after.Replicas - after.UpdatedReplicas) < (before.Replicas - before.UpdatedReplicas)
            || before.StableRS != after.StableRS
            || before.CurrentStepIndex != after.CurrentStepIndex
            || before.CurrentStepHash != after.CurrentStepHash
            || before.CurrentPodHash != after.CurrentPodHash;
    }

    /// <summary>
    /// No progress for progressDeadlineSeconds ⇒ Progressing=False ProgressDeadlineExceeded (Degraded), plus an abort
    /// when progressDeadlineAbort. Not evaluated on a pause, while user-paused, or while an old RS waits for its
    /// scale-down deadline.
    /// </summary>
    private static void CheckProgressDeadline(PassContext ctx, RolloutCondition progressing, string newRSName)
    {
        if (progressing.Reason == Conditions.ProgressDeadlineExceededReason || ctx.IsFullyPromoted || IsProgressDeadlineExempt(ctx))
        {
            return;
        }

        var deadline = progressing.LastUpdateTime.AddSeconds(RolloutDefaults.GetProgressDeadlineSeconds(ctx.Spec));
        if (deadline > ctx.Now)
        {
            ctx.WakeAt(deadline);
            return;
        }

        var message = Conditions.TimedOutMessage(newRSName);
        ctx.Status = Conditions.Set(ctx.Status, Conditions.Progressing, Conditions.False, Conditions.ProgressDeadlineExceededReason, message, ctx.Now);
        ctx.Add(RolloutEvents.ProgressDeadlineExceeded(message));
        if (RolloutDefaults.GetProgressDeadlineAbort(ctx.Spec) && !ctx.IsAborted)
        {
            ctx.Status = ctx.Status with { Abort = true, AbortedAt = TruncateToSeconds(ctx.Now) };
        }
    }

    private static bool IsProgressDeadlineExempt(PassContext ctx) =>
        ctx.Status.PauseConditions.Length > 0
        || ctx.CurrentStep?.Pause is not null
        || ctx.Observed.ReplicaSets.Any(rs => rs.ScaleDownDeadline is { } d && d > ctx.Now);
}
