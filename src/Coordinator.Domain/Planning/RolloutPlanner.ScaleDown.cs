using Coordinator.Domain.Actions;
using Coordinator.Domain.Observation;

namespace Coordinator.Domain.Planning;

/// <summary>
/// ReplicaSet scaling (rollout/replicaset.go, §3.4 step 9, §3.5, §3.11): stable first, then the new RS, then the
/// others; Argo stops after the first group that scaled.
/// </summary>
public static partial class RolloutPlanner
{
    /// <returns>True when something was scaled (the pause step is then not evaluated in this pass).</returns>
    private static bool ReconcileReplicaSets(PassContext ctx)
    {
        var newIsStable = ctx.NewRS is not null && ctx.NewRS == ctx.StableRS;
        var (canaryDesired, stableDesired) = ReplicaMath.DesiredCounts(ctx.Spec, ctx.Status, ctx.StableRS is not null, newIsStable);

        if (ctx.StableRS is { } stable && !newIsStable)
        {
            ClearScaleDownDeadline(ctx, stable);
            if (stable.Replicas != stableDesired)
            {
                Scale(ctx, stable, stableDesired);
                return true;
            }
        }

        if (ctx.NewRS is { } newRS)
        {
            if (ctx.IsAborted && !newIsStable)
            {
                if (ReconcileAbortedCanary(ctx, newRS))
                {
                    return true;
                }
            }
            else
            {
                var desired = newIsStable ? ctx.Replicas : canaryDesired;
                if (desired > 0)
                {
                    ClearScaleDownDeadline(ctx, newRS); // reused while waiting to be scaled down (rollback, retry)
                }

                if (newRS.Replicas != desired)
                {
                    Scale(ctx, newRS, desired);
                    return true;
                }
            }
        }

        return ScaleDownOtherReplicaSets(ctx);
    }

    /// <summary>
    /// Old ReplicaSets (neither desired nor stable). Once fully promoted the old stable waits scaleDownDelaySeconds
    /// (deadline annotation, then scale to 0 with the annotation removed); an abandoned intermediate RS goes to 0 at
    /// once within the maxUnavailable budget (§3.12). Anything still referenced by a Service or by the recorded weights
    /// is left alone.
    /// </summary>
    private static bool ScaleDownOtherReplicaSets(PassContext ctx)
    {
        var (_, maxUnavailable) = RolloutDefaults.ResolveFenceposts(ctx.Spec, ctx.Replicas);
        var available = ctx.Observed.ReplicaSets.Sum(rs => rs.AvailableReplicas);
        var budget = available - (ctx.Replicas - maxUnavailable);
        var scaled = false;
        var mayWait = MayWaitForScaleDownDeadline(ctx);
        foreach (var rs in ctx.OtherRSs.OrderBy(r => r.Revision ?? 0).ThenBy(r => r.CreationTimestamp))
        {
            if (rs.Replicas == 0 || IsReferenced(ctx, rs))
            {
                continue;
            }

            int desired;
            if (ctx.IsFullyPromoted || rs.ScaleDownDeadline is not null)
            {
                if (mayWait.Contains(rs.Name) && !ScaleDownDeadlinePassed(ctx, rs, RolloutDefaults.GetScaleDownDelaySeconds(ctx.Spec)))
                {
                    continue;
                }

                desired = 0;
            }
            else
            {
                if (budget <= 0)
                {
                    continue;
                }

                desired = Math.Max(0, rs.Replicas - budget);
                budget -= rs.Replicas - desired;
            }

            Scale(ctx, rs, desired);
            scaled = true;
        }

        return scaled;
    }

    /// <summary>
    /// <c>scaleDownDelayRevisionLimit</c> (default unlimited): only the newest that many old ReplicaSets may wait for their
    /// scale-down deadline; older ones are scaled to 0 at once ("At ScaleDownDelayRevisionLimit and scaling down the rest").
    /// </summary>
    private static HashSet<string> MayWaitForScaleDownDeadline(PassContext ctx)
    {
        var limit = RolloutDefaults.GetScaleDownDelayRevisionLimit(ctx.Spec);
        return [.. ctx.OtherRSs
            .Where(rs => rs.Replicas > 0 && !IsReferenced(ctx, rs) && (ctx.IsFullyPromoted || rs.ScaleDownDeadline is not null))
            .OrderByDescending(rs => rs.Revision ?? 0).ThenByDescending(rs => rs.CreationTimestamp)
            .Take(limit)
            .Select(rs => rs.Name)];
    }

    /// <summary>
    /// <c>scaleDownDelayHelper</c>: annotate <c>scale-down-deadline = now + delay</c> the first time, wake at the
    /// deadline, and report true once it has passed. dynamicStableScale or a zero delay scale down at once.
    /// </summary>
    private static bool ScaleDownDeadlinePassed(PassContext ctx, ObservedReplicaSet rs, int delaySeconds)
    {
        if (rs.ScaleDownDeadline is { } deadline)
        {
            if (deadline <= ctx.Now)
            {
                return true;
            }

            ctx.WakeAt(deadline);
            return false;
        }

        if (ctx.Canary.DynamicStableScale || delaySeconds <= 0)
        {
            return true;
        }

        var newDeadline = TruncateToSeconds(ctx.Now).AddSeconds(delaySeconds);
        ctx.Add(new AnnotateReplicaSet(rs.Name, ReplicaSetAnnotations.ScaleDownDeadline, ReplicaSetAnnotations.FormatScaleDownDeadline(newDeadline)));
        ctx.WakeAt(newDeadline);
        return false;
    }

    /// <summary>Scale an RS and emit <c>ScalingReplicaSet</c>; going to 0 also drops the deadline annotation (same update in Argo).</summary>
    private static void Scale(PassContext ctx, ObservedReplicaSet rs, int to)
    {
        ctx.Add(new ScaleReplicaSet(rs.Name, rs.Replicas, to));
        if (to == 0 && rs.ScaleDownDeadline is not null)
        {
            ctx.Add(new AnnotateReplicaSet(rs.Name, ReplicaSetAnnotations.ScaleDownDeadline, null));
        }

        ctx.Add(RolloutEvents.Scaled(rs.Name, rs.Revision, rs.Replicas, to));
    }

    private static void ClearScaleDownDeadline(PassContext ctx, ObservedReplicaSet rs)
    {
        if (rs.ScaleDownDeadline is not null)
        {
            ctx.Add(new AnnotateReplicaSet(rs.Name, ReplicaSetAnnotations.ScaleDownDeadline, null));
        }
    }

    /// <summary>Pause start times and deadlines are whole seconds, like Argo's RFC3339 fields (§3.10).</summary>
    internal static DateTimeOffset TruncateToSeconds(DateTimeOffset instant) =>
        new(instant.Ticks - (instant.Ticks % TimeSpan.TicksPerSecond), instant.Offset);
}
