using System.Globalization;
using Coordinator.Domain.State;

namespace Coordinator.Domain.Planning;

/// <summary>
/// Every default, in one home, exactly as Argo's <c>utils/defaults/defaults.go</c> (ROLLOUT-BEHAVIOUR §1.1–§1.3).
/// The stored spec is left as the user wrote it.
/// </summary>
public static class RolloutDefaults
{
    public const int Replicas = 1;
    public const int RevisionHistoryLimit = 10;
    public const int ProgressDeadlineSeconds = 600;
    public const int ScaleDownDelaySeconds = 30;
    public const int AbortScaleDownDelaySeconds = 30;

    /// <summary>Argo re-queues an invalid rollout every 20 s (§1.4).</summary>
    public static readonly TimeSpan InvalidSpecRetry = TimeSpan.FromSeconds(20);

    // Code wins over docs: the default is the string "25", read as 25 % (§1.2).
    private static readonly IntOrString DefaultMaxSurge = IntOrString.FromString("25%");
    private static readonly IntOrString DefaultMaxUnavailable = IntOrString.FromString("25%");

    public static int GetReplicas(RolloutSpec spec) => spec.Replicas ?? Replicas;

    public static int GetRevisionHistoryLimit(RolloutSpec spec) => spec.RevisionHistoryLimit ?? RevisionHistoryLimit;

    /// <summary>
    /// How long a deletion waits for the Deployment to serve before it hands the traffic back anyway: the rollout's own
    /// progressDeadlineSeconds, the time it allows any ReplicaSet to become available (not an Argo setting: Argo never waits).
    /// </summary>
    public static DateTimeOffset GetDeletionHandBackDeadline(RolloutSpec spec, DateTimeOffset deletionStartedAt) =>
        deletionStartedAt.AddSeconds(GetProgressDeadlineSeconds(spec));

    public static int GetProgressDeadlineSeconds(RolloutSpec spec) => spec.ProgressDeadlineSeconds ?? ProgressDeadlineSeconds;

    public static bool GetProgressDeadlineAbort(RolloutSpec spec) => spec.ProgressDeadlineAbort ?? false;

    public static int GetMinReadySeconds(RolloutSpec spec) => spec.MinReadySeconds ?? 0;

    public static IReadOnlyList<CanaryStep> GetSteps(RolloutSpec spec) => spec.Strategy.Canary is { } canary ? GetSteps(canary) : [];

    public static IReadOnlyList<CanaryStep> GetSteps(CanaryStrategy canary) => canary.Steps is { IsDefault: false } steps ? steps : [];

    public static bool HasTrafficRouting(RolloutSpec spec) => spec.Strategy.Canary?.TrafficRouting is not null;

    public static IntOrString GetMaxSurge(RolloutSpec spec) => spec.Strategy.Canary?.MaxSurge ?? DefaultMaxSurge;

    public static IntOrString GetMaxUnavailable(RolloutSpec spec) => spec.Strategy.Canary?.MaxUnavailable ?? DefaultMaxUnavailable;

    /// <summary>30 s with trafficRouting, otherwise 0 (<c>GetScaleDownDelaySecondsOrDefault</c>).</summary>
    public static int GetScaleDownDelaySeconds(RolloutSpec spec) =>
        HasTrafficRouting(spec) ? spec.Strategy.Canary?.ScaleDownDelaySeconds ?? ScaleDownDelaySeconds : 0;

    /// <summary>How many old ReplicaSets may wait for their scale-down deadline at once; unlimited by default (MaxInt32).</summary>
    public static int GetScaleDownDelayRevisionLimit(RolloutSpec spec) => Math.Max(0, spec.Strategy.Canary?.ScaleDownDelayRevisionLimit ?? int.MaxValue);

    /// <summary>
    /// 30 s with trafficRouting; an explicit 0 means "never scale the canary down on abort" and is returned as null
    /// (<c>GetAbortScaleDownDelaySecondsOrDefault</c>). Without trafficRouting: null.
    /// </summary>
    public static int? GetAbortScaleDownDelaySeconds(RolloutSpec spec)
    {
        if (!HasTrafficRouting(spec))
        {
            return null;
        }

        var explicitValue = spec.Strategy.Canary?.AbortScaleDownDelaySeconds;
        if (explicitValue == 0)
        {
            return null;
        }

        if (explicitValue is null && spec.Strategy.Canary?.DynamicStableScale == true)
        {
            return 0; // dynamicStableScale without explicit value: the canary goes as soon as traffic left it (§3.13)
        }

        return explicitValue ?? AbortScaleDownDelaySeconds;
    }

    /// <summary>
    /// maxSurge (percent rounded up) and maxUnavailable (percent rounded down) for <paramref name="replicas"/>;
    /// if both resolve to 0, maxUnavailable becomes 1 (<c>resolveFenceposts</c>).
    /// </summary>
    public static (int MaxSurge, int MaxUnavailable) ResolveFenceposts(RolloutSpec spec, int replicas)
    {
        var surge = ResolveIntOrPercent(GetMaxSurge(spec), replicas, roundUp: true);
        var unavailable = ResolveIntOrPercent(GetMaxUnavailable(spec), replicas, roundUp: false);
        return surge == 0 && unavailable == 0 ? (0, 1) : (surge, unavailable);
    }

    public static int ResolveIntOrPercent(IntOrString value, int total, bool roundUp)
    {
        if (value.IntValue is { } number)
        {
            return number;
        }

        var text = (value.StringValue ?? "").TrimEnd('%');
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var percent))
        {
            return 0;
        }

        var exact = percent * (double)total / 100.0;
        return roundUp ? (int)Math.Ceiling(exact) : (int)Math.Floor(exact);
    }

    /// <summary>
    /// <c>RolloutPause.DurationSeconds</c>: an int is seconds; a string is first read as an integer, then as a Go
    /// duration (<c>10s</c>, <c>10m</c>, <c>1h30m</c>, ...), truncated to whole seconds; unparseable ⇒ -1 (§1.3).
    /// Null means no duration (an indefinite pause).
    /// </summary>
    public static int? GetPauseDurationSeconds(PauseStep pause)
    {
        if (pause.Duration is null)
        {
            return null;
        }

        if (pause.Duration.IntValue is { } seconds)
        {
            return seconds;
        }

        var text = pause.Duration.StringValue ?? "";
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var plain))
        {
            return plain;
        }

        return GoDuration.TryParse(text, out var duration) ? (int)Math.Truncate(duration.TotalSeconds) : -1;
    }
}
