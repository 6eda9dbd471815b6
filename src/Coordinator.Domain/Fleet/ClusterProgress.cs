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

    /// <summary>Healthy on <paramref name="hash"/>: the canary promoted and traffic all on it.</summary>
    public bool HealthyOn(string hash) =>
        Exists && Phase == "Healthy" && CurrentPodHash == hash && StableHash == hash;

    /// <summary>Back on <paramref name="hash"/> with the VirtualService at 100/0.</summary>
    public bool RevertedTo(string hash) =>
        Exists && CurrentPodHash == hash && StableHash == hash && CanaryWeight == 0;
}
