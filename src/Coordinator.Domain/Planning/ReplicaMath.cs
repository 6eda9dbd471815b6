using Coordinator.Domain.Observation;
using Coordinator.Domain.State;

namespace Coordinator.Domain.Planning;

/// <summary>
/// Replica counts and set weights for a traffic-routed canary (utils/replicaset/canary.go, §3.5). Pure functions of
/// spec + status, table-tested.
/// </summary>
public static class ReplicaMath
{
    /// <summary>
    /// <c>GetCurrentSetWeight</c>: the last setWeight at or before the current index; 100 once the index reached
    /// len(steps) (or with no steps); 0 when aborted.
    /// </summary>
    public static int CurrentSetWeight(RolloutSpec spec, RolloutStatus status)
    {
        if (status.Abort)
        {
            return 0;
        }

        var steps = RolloutDefaults.GetSteps(spec);
        if (status.CurrentStepIndex is not { } index || index >= steps.Count)
        {
            return 100;
        }

        return LastSetWeight(steps, index);
    }

    /// <summary>The last setWeight strictly before <paramref name="index"/> (0 if none).</summary>
    public static int PreviousSetWeight(IReadOnlyList<CanaryStep> steps, int index) => LastSetWeight(steps, index - 1);

    /// <summary>The latest setCanaryScale at or before the current step, unless it is matchTrafficWeight (<c>UseSetCanaryScale</c>).</summary>
    public static SetCanaryScaleStep? ActiveSetCanaryScale(RolloutSpec spec, RolloutStatus status)
    {
        var steps = RolloutDefaults.GetSteps(spec);
        if (!RolloutDefaults.HasTrafficRouting(spec) || status.CurrentStepIndex is not { } index || index >= steps.Count)
        {
            return null;
        }

        // While aborted the setCanaryScale is ignored, unless abortScaleDownDelaySeconds is explicitly 0 (keep the canary).
        if (status.Abort && spec.Strategy.Canary?.AbortScaleDownDelaySeconds != 0)
        {
            return null;
        }

        for (var i = index; i >= 0; i--)
        {
            if (steps[i].SetCanaryScale is { } scale)
            {
                return scale.MatchTrafficWeight ? null : scale;
            }
        }

        return null;
    }

    /// <summary>
    /// <c>CalculateReplicaCountsForTrafficRoutedCanary</c>: the canary RS gets setCanaryScale replicas or ceil(W·N/100)
    /// (raised to minPodsPerReplicaSet, capped at N); the stable RS keeps N unless dynamicStableScale.
    /// </summary>
    public static (int Canary, int Stable) DesiredCounts(RolloutSpec spec, RolloutStatus status, bool hasStableRS, bool newIsStable)
    {
        var replicas = RolloutDefaults.GetReplicas(spec);
        if (newIsStable || status.PromoteFull || !hasStableRS)
        {
            return (replicas, replicas);
        }

        var scale = ActiveSetCanaryScale(spec, status);
        var weight = scale?.Weight ?? CurrentSetWeight(spec, status);
        var canary = scale?.Replicas ?? CeilPercent(weight, replicas);
        if (spec.Strategy.Canary?.MinPodsPerReplicaSet is { } minPods && canary > 0)
        {
            canary = Math.Max(canary, Math.Min(minPods, replicas));
        }

        var stable = replicas;
        if (spec.Strategy.Canary?.DynamicStableScale == true)
        {
            var actualStableWeight = status.Canary.Weights?.Stable.Weight ?? 100;
            stable = Math.Max(CeilPercent(100 - weight, replicas), CeilPercent(actualStableWeight, replicas));
        }

        return (canary, stable);
    }

    /// <summary><c>AtDesiredReplicaCountsForCanary</c>: canary and (without dynamicStableScale) stable RS at their desired
    /// counts, all of them available.</summary>
    public static bool AtDesiredReplicaCounts(RolloutSpec spec, RolloutStatus status, ObservedReplicaSet? newRS, ObservedReplicaSet? stableRS)
    {
        var (canary, stable) = DesiredCounts(spec, status, stableRS is not null, newRS is not null && newRS == stableRS);
        if (newRS is null || newRS.Replicas != canary || newRS.AvailableReplicas != canary)
        {
            return false;
        }

        if (spec.Strategy.Canary?.DynamicStableScale != true
            && (stableRS is null || stableRS.Replicas != stable || stableRS.AvailableReplicas != stable))
        {
            return false;
        }

        return true;
    }

    public static int CeilPercent(int weight, int replicas) => (int)Math.Ceiling(weight * replicas / 100.0);

    private static int LastSetWeight(IReadOnlyList<CanaryStep> steps, int index)
    {
        for (var i = Math.Min(index, steps.Count - 1); i >= 0; i--)
        {
            if (steps[i].SetWeight is { } weight)
            {
                return weight;
            }
        }

        return 0;
    }
}
