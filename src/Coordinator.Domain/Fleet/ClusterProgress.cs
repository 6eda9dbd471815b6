namespace Coordinator.Domain.Fleet;

/// <summary>What a cluster's RolloutGrain last reported to the fleet about the Rollout the fleet changes.</summary>
public sealed record ClusterProgress
{
    public bool Exists { get; init; }

    /// <summary>The Rollout's phase: Progressing, Paused, Healthy or Degraded.</summary>
    public string Phase { get; init; } = "";

    public string Message { get; init; } = "";

    public bool Aborted { get; init; }

    public int? Step { get; init; }

    public int StepCount { get; init; }

    /// <summary>The canary's weight in the VirtualService as last written (0 = every request on stable).</summary>
    public int CanaryWeight { get; init; }

    public int Revision { get; init; }

    public string CurrentPodHash { get; init; } = "";

    public string StableHash { get; init; } = "";

    /// <summary>The last cluster call's failure, while calls fail; null once one succeeds.</summary>
    public string? LastCallFailure { get; init; }

    public DateTimeOffset? FailingSince { get; init; }

    /// <summary>
    /// Healthy on <paramref name="hash"/>: the canary promoted, and the VirtualService back to 100/0 with the new revision
    /// as stable (Argo marks the Rollout Healthy with the promotion, a moment before the last traffic write).
    /// </summary>
    public bool HealthyOn(string hash) =>
        Exists && Phase == "Healthy" && CurrentPodHash == hash && StableHash == hash && CanaryWeight == 0;

    /// <summary>Back on <paramref name="hash"/> with the VirtualService at 100/0.</summary>
    public bool RevertedTo(string hash) =>
        Exists && CurrentPodHash == hash && StableHash == hash && CanaryWeight == 0;
}
