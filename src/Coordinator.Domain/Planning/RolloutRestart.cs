using Coordinator.Domain.State;

namespace Coordinator.Domain.Planning;

/// <summary>When a <c>spec.restartAt</c> restart is due (Argo's <c>replicasetutil.NeedsRestart</c>).</summary>
public static class RolloutRestart
{
    /// <summary>Argo's <c>restartPodCheckTime</c>: look again this long after a pass that left pods to restart.</summary>
    public static readonly TimeSpan PodCheckInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// restartAt has come and <c>status.restartedAt</c> does not record it (Argo compares the two for equality, so any
    /// new restartAt is acted on). Due at restartAt itself (Argo: just after), so that a wake-up at restartAt acts.
    /// </summary>
    public static bool IsDue(RolloutSpec spec, RolloutStatus status, DateTimeOffset now) =>
        spec.RestartAt is { } restartAt && now >= restartAt && status.RestartedAt != restartAt;

    /// <summary>
    /// Whether the next observation must list the rollout's pods: only while a restart is due. Every other loop
    /// (and every rollout without restartAt) reads no pods.
    /// </summary>
    public static bool NeedsPods(RolloutSpec spec, RolloutStatus status, DateTimeOffset now) => IsDue(spec, status, now);
}
