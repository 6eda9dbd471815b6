using System.Globalization;
using Coordinator.Domain.Actions;
using Coordinator.Domain.State;

namespace Coordinator.Domain.Planning;

/// <summary>Pause steps and step advancement (rollout/pause.go, rollout/canary.go, §1.3, §3.9, §3.10).</summary>
public static partial class RolloutPlanner
{
    public const string CanaryPauseStepReason = "CanaryPauseStep";

    /// <summary>
    /// When the decision from <paramref name="before"/> to <paramref name="after"/> completed a timed pause step because its
    /// time was up (not by promote): the instant it ended, start + duration. Null otherwise. The caller measures the lag
    /// from there to the weight write that follows.
    /// </summary>
    public static DateTimeOffset? ExpiredPauseEnd(RolloutSpec spec, RolloutStatus before, RolloutStatus after, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var steps = RolloutDefaults.GetSteps(spec);
        if (before.CurrentStepIndex is not { } index || index >= steps.Count || steps[index].Pause is not { } pause
            || after.CurrentStepIndex is not { } next || next <= index
            || before.PauseConditions.FirstOrDefault(p => p.Reason == CanaryPauseStepReason) is not { } condition
            || RolloutDefaults.GetPauseDurationSeconds(pause) is not { } seconds)
        {
            return null;
        }

        var end = condition.StartTime.AddSeconds(seconds);
        return end <= now ? end : null;
    }

    /// <summary>
    /// On a pause step with no pause condition yet (and not already paused by the controller), add
    /// <c>{CanaryPauseStep, now}</c> and emit <c>RolloutPaused</c>. The start time is what makes the pause survive restarts.
    /// </summary>
    private static void ReconcilePause(PassContext ctx)
    {
        if (ctx.IsAborted || ctx.IsFullyPromoted || ctx.Status.PromoteFull || ctx.CurrentStep?.Pause is null)
        {
            return;
        }

        if (HasCanaryPause(ctx.Status) || ctx.Status.ControllerPause)
        {
            return;
        }

        ctx.Status = ctx.Status with
        {
            PauseConditions = [.. ctx.Status.PauseConditions, new PauseCondition { Reason = CanaryPauseStepReason, StartTime = TruncateToSeconds(ctx.Now) }],
            ControllerPause = true,
        };
        ctx.Add(RolloutEvents.Paused(CanaryPauseStepReason));
    }

    /// <summary>
    /// <c>syncRolloutStatusCanary</c> (d): if the current step is complete, move to the next one (at most one per
    /// pass), emit <c>RolloutStepCompleted</c>, and on automatic pause expiry <c>RolloutResumed</c>.
    /// </summary>
    private static void AdvanceStep(PassContext ctx)
    {
        if (ctx.Spec.Paused || ctx.CurrentStepIndex is not { } index || ctx.CurrentStep is not { } step)
        {
            return;
        }

        var completion = StepCompletion(ctx, step);
        if (completion == StepOutcome.NotDone)
        {
            return;
        }

        ctx.Status = ctx.Status with
        {
            CurrentStepIndex = index + 1,
            PauseConditions = [.. ctx.Status.PauseConditions.Where(p => p.Reason != CanaryPauseStepReason)],
            ControllerPause = step.Pause is null && ctx.Status.ControllerPause,
        };
        ctx.Add(RolloutEvents.StepCompleted(index + 1, ctx.Steps.Count, StepText(step)));
        if (completion == StepOutcome.PauseExpired)
        {
            ctx.Add(RolloutEvents.Resumed());
        }
    }

    private enum StepOutcome
    {
        NotDone,
        Done,
        PauseExpired,
    }

    private static StepOutcome StepCompletion(PassContext ctx, CanaryStep step)
    {
        var atCounts = ReplicaMath.AtDesiredReplicaCounts(ctx.Spec, ctx.Status, ctx.NewRS, ctx.StableRS);
        if (step.SetWeight is not null)
        {
            // Istio cannot verify weights; the re-observed VirtualService carrying them is our verification.
            return atCounts && ctx.WeightsVerified ? StepOutcome.Done : StepOutcome.NotDone;
        }

        if (step.SetCanaryScale is not null)
        {
            return atCounts ? StepOutcome.Done : StepOutcome.NotDone;
        }

        if (step.Pause is { } pause)
        {
            return PauseCompletion(ctx, pause);
        }

        return StepOutcome.NotDone; // analysis/experiment/...: refused by validation, never executed
    }

    /// <summary>Complete when <c>startTime + duration &lt;= now</c> (then wake at that instant until it is), or when a
    /// user removed the condition (<c>controllerPause</c> and no condition: promote).</summary>
    private static StepOutcome PauseCompletion(PassContext ctx, PauseStep pause, bool scheduleWake = true)
    {
        var condition = ctx.Status.PauseConditions.FirstOrDefault(p => p.Reason == CanaryPauseStepReason);
        if (condition is null)
        {
            return ctx.Status.ControllerPause ? StepOutcome.Done : StepOutcome.NotDone;
        }

        if (RolloutDefaults.GetPauseDurationSeconds(pause) is not { } seconds)
        {
            return StepOutcome.NotDone; // indefinite: only promote ends it
        }

        var end = condition.StartTime.AddSeconds(seconds);
        if (end <= ctx.Now)
        {
            return StepOutcome.PauseExpired;
        }

        if (scheduleWake) ctx.WakeAt(end);
        return StepOutcome.NotDone;
    }

    /// <summary>
    /// Whether <see cref="AdvanceStep"/> will leave the current pause step in this pass: it is over (its time is up, or a
    /// promote removed its condition) and nothing (a user's pause, an abort, a full promotion) decides otherwise.
    /// </summary>
    private static bool PauseEndsInThisPass(PassContext ctx)
    {
        if (ctx.Spec.Paused || ctx.IsAborted || ctx.IsFullyPromoted || ctx.Status.PromoteFull || ctx.CurrentStep?.Pause is not { } pause)
        {
            return false;
        }

        return PauseCompletion(ctx, pause, scheduleWake: false) != StepOutcome.NotDone;
    }

    private static bool HasCanaryPause(RolloutStatus status) =>
        status.PauseConditions.Any(p => p.Reason == CanaryPauseStepReason);

    /// <summary>The step as Argo prints it in <c>RolloutStepCompleted</c>: <c>setWeight: 5</c>, <c>pause: 30s</c>, <c>pause</c>, ...</summary>
    public static string StepText(CanaryStep step)
    {
        if (step.SetWeight is { } weight)
        {
            return string.Create(CultureInfo.InvariantCulture, $"setWeight: {weight}");
        }

        if (step.Pause is { } pause)
        {
            return pause.Duration is null ? "pause" : $"pause: {pause.Duration}";
        }

        if (step.SetCanaryScale is { } scale)
        {
            return scale switch
            {
                { Replicas: { } r } => string.Create(CultureInfo.InvariantCulture, $"setCanaryScale{{replicas: {r}}}"),
                { Weight: { } w } => string.Create(CultureInfo.InvariantCulture, $"setCanaryScale{{weight: {w}}}"),
                _ => "setCanaryScale{matchTrafficWeight: true}",
            };
        }

        return step switch
        {
            { Analysis: not null } => "analysis",
            { Experiment: not null } => "experiment",
            { SetHeaderRoute: { } header } => $"setHeaderRoute: {header}",
            { SetMirrorRoute: { } mirror } => $"setMirrorRoute: {mirror}",
            { Plugin: { } plugin } => $"plugin: {plugin}",
            _ => "",
        };
    }
}
