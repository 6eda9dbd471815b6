using Coordinator.Domain.Actions;
using Coordinator.Domain.Manifest;
using Coordinator.Domain.Observation;
using Coordinator.Domain.Planning;
using Coordinator.Domain.State;
using Coordinator.Domain.Validation;

namespace Coordinator.Grains.Rollouts;

/// <summary>A refused input: the field it is about and Argo's full message.</summary>
internal sealed record InputError(string Field, string Message);

/// <summary>One planning step in the grain's loop, for a live rollout or one being deleted.</summary>
internal sealed record PlanStep(RolloutStatus Status, IReadOnlyList<RolloutAction> Actions, DateTimeOffset? WakeAt, bool Finished, string? Warning);

/// <summary>The grain's single doorway into the Domain: validation, the planners and the user commands.</summary>
internal static class RolloutLogic
{
    public static InputError? ValidateSpec(RolloutManifest manifest) =>
        ToError(RolloutValidator.ValidateSpec(manifest.Spec, manifest.Name));

    public static InputError? ValidateReferences(RolloutManifest manifest, ClusterObservation observation) =>
        ToError(RolloutValidator.ValidateReferences(manifest.Spec, observation));

    public static PlanStep Decide(RolloutSpec spec, RolloutStatus status, ClusterObservation observed, DateTimeOffset now)
    {
        var decision = RolloutPlanner.Decide(spec, status, observed, now);
        return new PlanStep(decision.NewStatus, decision.Actions, decision.WakeAt, Finished: false, Warning: null);
    }

    public static PlanStep DecideDeletion(RolloutSpec spec, RolloutStatus status, ClusterObservation observed, DateTimeOffset now, DateTimeOffset deletionStartedAt)
    {
        var handBackDeadline = RolloutDefaults.GetDeletionHandBackDeadline(spec, deletionStartedAt);
        var decision = RolloutDeletionPlanner.Decide(spec, status, observed, now, handBackDeadline);
        return new PlanStep(status, decision.Actions, decision.WakeAt, decision.Done, decision.Warning);
    }

    public static CommandResult Promote(RolloutSpec spec, RolloutStatus status, bool full) =>
        full ? RolloutCommands.PromoteFull(spec, status) : RolloutCommands.Promote(spec, status);

    public static RolloutStatus Abort(RolloutStatus status, DateTimeOffset now) => RolloutCommands.Abort(status, now);

    public static RolloutStatus Retry(RolloutSpec spec, RolloutStatus status, DateTimeOffset now) => RolloutCommands.Retry(spec, status, now);

    public static UndoResult Undo(ClusterObservation observed, RolloutStatus status, int? toRevision) =>
        RolloutCommands.Undo(observed, status, toRevision);

    public static EmitEvent Deleted(string name, string ns) => RolloutEvents.RolloutDeleted(name, ns);

    /// <summary>
    /// When the decision from <paramref name="before"/> to <paramref name="after"/> completed a timed pause step because its
    /// time was up (not by promote): the instant it ended, start + duration. Null otherwise.
    /// </summary>
    public static DateTimeOffset? ExpiredPauseEnd(RolloutSpec spec, RolloutStatus before, RolloutStatus after, DateTimeOffset now)
    {
        var steps = RolloutDefaults.GetSteps(spec);
        if (before.CurrentStepIndex is not { } index || index >= steps.Count || steps[index].Pause is not { } pause
            || after.CurrentStepIndex is not { } next || next <= index
            || before.PauseConditions.FirstOrDefault(p => p.Reason == RolloutPlanner.CanaryPauseStepReason) is not { } condition
            || RolloutDefaults.GetPauseDurationSeconds(pause) is not { } seconds)
            return null;
        var end = condition.StartTime.AddSeconds(seconds);
        return end <= now ? end : null;
    }

    private static InputError? ToError(ValidationResult result) =>
        result.FirstError is { } error ? new InputError(error.Path, result.Message!) : null;
}
