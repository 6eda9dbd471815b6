using Coordinator.Domain.Actions;
using Coordinator.Domain.Hashing;
using Coordinator.Domain.Observation;
using Coordinator.Domain.State;

namespace Coordinator.Domain.Planning;

/// <summary>The spec and status after a user command; the next <see cref="RolloutPlanner.Decide"/> acts on it.</summary>
public sealed record CommandResult(RolloutSpec Spec, RolloutStatus Status);

/// <summary>Undo's outcome: the template to write to the Deployment, or a reason why nothing is written.</summary>
public sealed record UndoResult(WriteDeploymentTemplate? Action, int? Revision, string Message);

/// <summary>
/// What <c>kubectl argo rollouts promote/abort/retry/pause/undo</c> patch (§3.13, §6), as pure functions. Each only
/// records intent; the planner's next pass does the work (scaling, traffic, events, conditions).
/// </summary>
public static class RolloutCommands
{
    /// <summary>
    /// promote: unpause a user pause; clear the pause conditions (the planner then completes the pause step without a
    /// <c>RolloutResumed</c> event); with no pause condition, skip the current step (index + 1, no step event).
    /// </summary>
    public static CommandResult Promote(RolloutSpec spec, RolloutStatus status)
    {
        var steps = RolloutDefaults.GetSteps(spec);
        var newStatus = status;
        if (status.PauseConditions.Length > 0)
        {
            newStatus = status with { PauseConditions = [] };
        }
        else if (!spec.Paused && status.CurrentStepIndex is { } index && index < steps.Count)
        {
            newStatus = status with { CurrentStepIndex = index + 1 };
        }

        return new CommandResult(spec with { Paused = false }, newStatus);
    }

    /// <summary>promote --full: skip steps, pauses and analysis; the new RS is scaled to N and promoted when available.</summary>
    public static CommandResult PromoteFull(RolloutSpec spec, RolloutStatus status) =>
        new(spec with { Paused = false }, status with { PromoteFull = true, PauseConditions = [] });

    /// <summary>abort: the planner sends traffic back to stable and scales the canary down after the abort delay.</summary>
    public static RolloutStatus Abort(RolloutStatus status, DateTimeOffset now) =>
        status with { Abort = true, AbortedAt = RolloutPlanner.TruncateToSeconds(now) };

    /// <summary>retry: clear the abort and restart the steps at 0 with the same canary RS (Progressing Unknown RolloutRetry).</summary>
    public static RolloutStatus Retry(RolloutSpec spec, RolloutStatus status, DateTimeOffset now)
    {
        var steps = RolloutDefaults.GetSteps(spec);
        var retried = status with
        {
            Abort = false,
            AbortedAt = null,
            PauseConditions = [],
            ControllerPause = false,
            CurrentStepIndex = steps.Count == 0 ? null : 0,
        };
        return Conditions.Set(retried, Conditions.Progressing, Conditions.Unknown, Conditions.RolloutRetryReason, Conditions.RetryMessage, now);
    }

    /// <summary>pause: <c>spec.paused = true</c> (no scaling, no step advance; services and weights still reconciled).</summary>
    public static RolloutSpec Pause(RolloutSpec spec) => spec with { Paused = true };

    /// <summary>resume: <c>spec.paused = false</c> (Argo's plugin has no resume; promote does the same and more).</summary>
    public static RolloutSpec Resume(RolloutSpec spec) => spec with { Paused = false };

    /// <summary>
    /// undo [--to-revision=n]: the pod template of the previous (or given) revision's RS, minus the hash label, written
    /// back to the Deployment (workloadRef). The planner then treats it as any template change (§3.12).
    /// </summary>
    public static UndoResult Undo(ClusterObservation observed, RolloutStatus status, int? toRevision)
    {
        ArgumentNullException.ThrowIfNull(observed);
        var deployment = observed.Deployment;
        if (deployment is null)
        {
            return new UndoResult(null, null, $"deployment \"{observed.RolloutName}\" not found");
        }

        var currentHash = status.CurrentPodHash;
        var candidates = observed.ReplicaSets.Where(rs => rs.Revision is not null && rs.Template is not null).ToList();
        var target = toRevision is { } wanted
            ? candidates.FirstOrDefault(rs => rs.Revision == wanted)
            : candidates.Where(rs => rs.PodTemplateHash != currentHash).MaxBy(rs => rs.Revision);
        if (target is null)
        {
            return new UndoResult(null, toRevision, toRevision is null ? "no rollout history found" : $"unable to find specified revision {toRevision}");
        }

        // Neither the hash label nor the canary/stable metadata belong to the Deployment's template.
        var template = PodTemplateHash.WithoutHashLabel(ReplicaSetTemplates.WithoutEphemeralMetadata(target)!);
        if (ReplicaSetTemplates.AreEquivalent(template, deployment.Template))
        {
            return new UndoResult(null, target.Revision, $"skipped rollback (current template already matches revision {target.Revision})");
        }

        return new UndoResult(new WriteDeploymentTemplate(deployment.Name, template), target.Revision, $"rollout '{observed.RolloutName}' undo");
    }
}
