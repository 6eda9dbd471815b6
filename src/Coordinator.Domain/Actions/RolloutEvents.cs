using System.Globalization;

namespace Coordinator.Domain.Actions;

/// <summary>Argo's event reasons and message texts (ROLLOUT-BEHAVIOUR §5), in one place.</summary>
public static class RolloutEvents
{
    // Reasons, verbatim. "Updated VirtualService" has a space in current Argo (istio.go); the seed log, taken from
    // an older release, shows "UpdatedVirtualService".
    public const string RolloutUpdatedReason = "RolloutUpdated";
    public const string NewReplicaSetCreatedReason = "NewReplicaSetCreated";
    public const string RolloutNotCompletedReason = "RolloutNotCompleted";
    public const string ScalingReplicaSetReason = "ScalingReplicaSet";
    public const string RolloutCompletedReason = "RolloutCompleted";
    public const string SwitchServiceReason = "SwitchService";
    public const string TrafficWeightUpdatedReason = "TrafficWeightUpdated";
    public const string UpdatedVirtualServiceReason = "Updated VirtualService";
    public const string RolloutStepCompletedReason = "RolloutStepCompleted";
    public const string RolloutPausedReason = "RolloutPaused";
    public const string RolloutResumedReason = "RolloutResumed";
    public const string RolloutAbortedReason = "RolloutAborted";
    public const string SkipStepsReason = "SkipSteps";
    public const string ProgressDeadlineExceededReason = "ProgressDeadlineExceeded";
    public const string RolloutDeletedReason = "RolloutDeleted";
    public const string DeploymentNotReadyReason = "DeploymentNotReady";
    // Coordinator's own: a user's command, named with who asked (Argo has no users; its CLI edits the object directly).
    public const string CommandRequestedReason = "CommandRequested";

    /// <summary>The annotation on Events caused by a user's command; its value is the user.</summary>
    public const string RequestedByAnnotation = "coordinator.io/requested-by";

    public static EmitEvent RolloutUpdated(int revision) =>
        Normal(RolloutUpdatedReason, $"Rollout updated to revision {revision}");

    public static EmitEvent NewReplicaSetCreated(string rsName, int revision) =>
        Normal(NewReplicaSetCreatedReason, $"Created ReplicaSet {rsName} (revision {revision})");

    public static EmitEvent RolloutNotCompleted(int revision, string hash) =>
        Normal(RolloutNotCompletedReason, $"Rollout not completed, started update to revision {revision} ({hash})");

    public static EmitEvent Scaled(string rsName, int? revision, int from, int to) =>
        Normal(ScalingReplicaSetReason,
            $"Scaled {(to > from ? "up" : "down")} ReplicaSet {rsName} (revision {revision?.ToString(CultureInfo.InvariantCulture) ?? ""}) from {from} to {to}");

    public static EmitEvent RolloutCompleted(int revision, string hash, string reason) =>
        Normal(RolloutCompletedReason, $"Rollout completed update to revision {revision} ({hash}): {reason}");

    public static EmitEvent SwitchService(string service, string? from, string? to) =>
        Normal(SwitchServiceReason, $"Switched selector for service '{service}' from '{from}' to '{to}'");

    public static EmitEvent VirtualServiceWeightSet(string vsName, int desiredWeight) =>
        Normal(UpdatedVirtualServiceReason, $"VirtualService `{vsName}` set to desiredWeight '{desiredWeight}'");

    /// <summary>"to X" the first time, "from A to B" on a weight change, nothing after "updated" when only a hash changed (§3.7).</summary>
    public static EmitEvent TrafficWeightUpdated(int? previousCanaryWeight, int canaryWeight)
    {
        var detail = previousCanaryWeight switch
        {
            null => $" to {canaryWeight}",
            var previous when previous != canaryWeight => $" from {previous} to {canaryWeight}",
            _ => "",
        };
        return Normal(TrafficWeightUpdatedReason, "Traffic weight updated" + detail);
    }

    public static EmitEvent StepCompleted(int stepNumber, int stepCount, string stepText) =>
        Normal(RolloutStepCompletedReason, $"Rollout step {stepNumber}/{stepCount} completed ({stepText})");

    public static EmitEvent Paused(string reason) => Normal(RolloutPausedReason, $"Rollout is paused ({reason})");

    public static EmitEvent Resumed() => Normal(RolloutResumedReason, "Rollout is resumed");

    public static EmitEvent Aborted(string message) => new(RolloutEventType.Warning, RolloutAbortedReason, message);

    public static EmitEvent SkipSteps(string message) => Normal(SkipStepsReason, message);

    public static EmitEvent ProgressDeadlineExceeded(string message) =>
        new(RolloutEventType.Warning, ProgressDeadlineExceededReason, message);

    /// <summary>Argo passes name then namespace, so it prints <c>name/namespace</c> (§4.4).</summary>
    public static EmitEvent RolloutDeleted(string name, string @namespace) =>
        Normal(RolloutDeletedReason, $"Rollout {name}/{@namespace} is deleted.");

    public static EmitEvent DeploymentNotReady(string message) => new(RolloutEventType.Warning, DeploymentNotReadyReason, message);

    public static EmitEvent CommandRequested(string command, string user) =>
        Normal(CommandRequestedReason, $"{command} requested by {user}") with { RequestedBy = user };

    private static EmitEvent Normal(string reason, string message) => new(RolloutEventType.Normal, reason, message);
}
