using Coordinator.Domain.State;
using Coordinator.Domain.Text;

namespace Coordinator.Domain.Planning;

/// <summary>Condition types, reasons and texts (utils/conditions/conditions.go, ROLLOUT-BEHAVIOUR §2.3).</summary>
public static class Conditions
{
    public const string Progressing = "Progressing";
    public const string Available = "Available";
    public const string Completed = "Completed";
    public const string Paused = "Paused";
    public const string InvalidSpec = "InvalidSpec";

    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";

    public const string NewReplicaSetCreatedReason = "NewReplicaSetCreated";
    public const string ReplicaSetUpdatedReason = "ReplicaSetUpdated";
    public const string NewReplicaSetAvailableReason = "NewReplicaSetAvailable";
    public const string RolloutPausedReason = "RolloutPaused";
    public const string RolloutResumedReason = "RolloutResumed";
    public const string RolloutRetryReason = "RolloutRetry";
    public const string RolloutAbortedReason = "RolloutAborted";
    public const string ProgressDeadlineExceededReason = "ProgressDeadlineExceeded";
    public const string AvailableReason = "AvailableReason";
    public const string RolloutCompletedReason = "RolloutCompleted";
    public const string InvalidSpecReason = "InvalidSpec";

    public const string PausedMessage = "Rollout is paused";
    public const string ResumedMessage = "Rollout is resumed";
    public const string RetryMessage = "Retrying Rollout after abort";
    public const string AvailableMessage = "Rollout has minimum availability";
    public const string NotAvailableMessage = "Rollout does not have minimum availability";

    public static string NewReplicaSetCreatedMessage(string rs) => $"Created new replica set \"{rs}\"";

    public static string ReplicaSetProgressingMessage(string rs) => $"ReplicaSet \"{rs}\" is progressing.";

    public static string ReplicaSetCompletedMessage(string rs) => $"ReplicaSet \"{rs}\" has successfully progressed.";

    public static string TimedOutMessage(string rs) => $"ReplicaSet \"{rs}\" has timed out progressing.";

    public static string AbortedMessage(int? revision) => $"Rollout aborted update to revision {revision}";

    public static RolloutCondition? Find(RolloutStatus status, string type) =>
        status.Conditions.FirstOrDefault(c => c.Type == type);

    /// <summary>
    /// Sets a condition; the transition time moves only when the status value changes, the update time whenever
    /// anything changes or <paramref name="bump"/> asks for it (Argo bumps Progressing on every sign of progress).
    /// </summary>
    public static RolloutStatus Set(RolloutStatus status, string type, string value, string reason, string message, DateTimeOffset now, bool bump = false)
    {
        var existing = Find(status, type);
        if (existing is not null && existing.Status == value && existing.Reason == reason && existing.Message == message && !bump)
        {
            return status;
        }

        var condition = new RolloutCondition
        {
            Type = type,
            Status = value,
            Reason = reason,
            // The same text formatted again (a bump): the instance the status already holds, so the new one dies young;
            // a new text: the instance other Rollouts of the same release hold.
            Message = existing?.Message == message ? existing.Message : SharedTexts.Share(message),
            LastUpdateTime = now,
            LastTransitionTime = existing is not null && existing.Status == value ? existing.LastTransitionTime : now,
        };
        return status with { Conditions = existing is null ? [.. status.Conditions, condition] : [.. status.Conditions.Select(c => c.Type == type ? condition : c)] };
    }

    public static RolloutStatus Remove(RolloutStatus status, string type) =>
        Find(status, type) is null ? status : status with { Conditions = [.. status.Conditions.Where(c => c.Type != type)] };
}
