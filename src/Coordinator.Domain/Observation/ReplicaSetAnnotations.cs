using System.Globalization;

namespace Coordinator.Domain.Observation;

/// <summary>Labels and annotations Argo writes (§4.2), and how to read them back.</summary>
public static class ReplicaSetAnnotations
{
    public const string PodTemplateHashLabel = "rollouts-pod-template-hash";
    public const string Revision = "rollout.argoproj.io/revision";
    public const string RevisionHistory = "rollout.argoproj.io/revision-history";
    public const string DesiredReplicas = "rollout.argoproj.io/desired-replicas";

    /// <summary>No prefix, exactly as Argo (<c>v1alpha1.DefaultReplicaSetScaleDownDeadlineAnnotationKey</c>).</summary>
    public const string ScaleDownDeadline = "scale-down-deadline";

    /// <summary>What ephemeral pod metadata (canaryMetadata / stableMetadata) the RS's template carries, as JSON.</summary>
    public const string EphemeralMetadata = "rollout.argoproj.io/ephemeral-metadata";

    public const string ManagedByRollouts = "argo-rollouts.argoproj.io/managed-by-rollouts";

    public static int? ParseRevision(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var revision) ? revision : null;

    /// <summary>RFC3339 UTC, whole seconds, e.g. <c>2024-01-01T10:00:30Z</c> (Go <c>time.RFC3339</c>).</summary>
    public static string FormatScaleDownDeadline(DateTimeOffset deadline) =>
        deadline.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParseScaleDownDeadline(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var deadline)
            ? deadline
            : null;
}
