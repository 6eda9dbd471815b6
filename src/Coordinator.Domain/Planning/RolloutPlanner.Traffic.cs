using Coordinator.Domain.Actions;
using Coordinator.Domain.State;

namespace Coordinator.Domain.Planning;

/// <summary>VirtualService weights (rollout/trafficrouting.go <c>reconcileTrafficRouting</c>, §3.7, §3.8).</summary>
public static partial class RolloutPlanner
{
    private static void ReconcileTraffic(PassContext ctx)
    {
        if (ctx.Canary.TrafficRouting?.Istio is null)
        {
            return;
        }

        // A pause that is over moves to the next step in this very pass, and the next pass sets that step's weight. Its
        // own weight is in place already, unless an activation that died had ended the pause, written the next weight and
        // not lived to save the step: setting it back would send the canary's share down and up again (the seed's weight
        // only ever goes up until promotion).
        if (PauseEndsInThisPass(ctx))
        {
            return;
        }

        var weight = DesiredTrafficWeight(ctx);

        // Weights frozen while the stable RS lacks the capacity for its share (§3.7 guard).
        var stableAvailable = ctx.StableRS?.AvailableReplicas ?? 0;
        if (stableAvailable < (int)Math.Floor((100 - weight) * ctx.Replicas / 100.0))
        {
            return;
        }

        // Ordering guarantees (§9), checked on the observation rather than on the order of writes in one batch:
        // the weights go back to the stable route only once the stable Service selects the promoted RS (#478, #1718)...
        if (ctx.IsFullyPromoted && PassContext.SelectedHash(ctx.StableService) != ctx.Status.StableRS)
        {
            return;
        }

        // ...and no canary weight is given before the canary Service selects the canary RS (deliberately stricter than
        // Argo, which can briefly send 5 % to the previous version: seed README §5, #1026).
        if (weight > 0 && !ctx.IsFullyPromoted && PassContext.SelectedHash(ctx.CanaryService) != ctx.NewRS?.PodTemplateHash)
        {
            return;
        }

        ctx.WeightsVerified = WriteVirtualServiceWeights(ctx, weight);
        RecordWeights(ctx, weight);
    }

    /// <summary>§3.7, first match wins.</summary>
    private static int DesiredTrafficWeight(PassContext ctx)
    {
        if (ctx.IsFullyPromoted || ctx.IsAborted || ctx.NewRS is not { AvailableReplicas: > 0 })
        {
            return 0;
        }

        if (ctx.Status.PromoteFull)
        {
            return ctx.Status.Canary.Weights?.Canary.Weight ?? 0;
        }

        if (ctx.CurrentStepIndex is not { } index)
        {
            return 0; // no steps: no weight branch applies; traffic moves by the stable-service switch (§1.2)
        }

        if (!ReplicaMath.AtDesiredReplicaCounts(ctx.Spec, ctx.Status, ctx.NewRS, ctx.StableRS))
        {
            return ReplicaMath.PreviousSetWeight(ctx.Steps, index);
        }

        return index < ctx.Steps.Count ? ReplicaMath.CurrentSetWeight(ctx.Spec, ctx.Status) : 100;
    }

    /// <summary>Plan a write per VirtualService whose selected routes differ; returns true when all already match.</summary>
    private static bool WriteVirtualServiceWeights(PassContext ctx, int weight)
    {
        var canaryService = ctx.Canary.CanaryService ?? "";
        var stableService = ctx.Canary.StableService ?? "";
        var allMatch = true;
        foreach (var (reference, _) in IstioRoutes.References(ctx.Spec))
        {
            var (name, @namespace) = IstioRoutes.ResolveName(reference.Name ?? "", ctx.Observed.Namespace);
            if (ctx.Observed.FindVirtualService(name, @namespace) is not { } vs)
            {
                allMatch = false;
                continue;
            }

            var (routes, _) = IstioRoutes.SelectHttpRoutes(reference, vs);
            var matches = routes.All(r =>
                IstioRoutes.ObservedWeight(r, canaryService) == weight && IstioRoutes.ObservedWeight(r, stableService) == 100 - weight);
            if (matches)
            {
                // In place, but the saved status still records an older weight: an activation that died set it after its
                // last save, before its Event went out. Reported now, so that every weight the route took has its Event.
                if (ctx.Status.Canary.Weights?.Canary.Weight is { } recorded && recorded != weight)
                {
                    ctx.Add(RolloutEvents.VirtualServiceWeightSet(name, weight));
                }

                continue;
            }

            allMatch = false;
            ctx.Add(new SetVirtualServiceWeights(name, @namespace, [.. reference.Routes], canaryService, stableService, weight, 100 - weight));
            ctx.Add(RolloutEvents.VirtualServiceWeightSet(name, weight));
        }

        return allMatch;
    }

    /// <summary><c>status.canary.weights</c> and the <c>TrafficWeightUpdated</c> event when they change (§3.7).</summary>
    private static void RecordWeights(PassContext ctx, int weight)
    {
        var previous = ctx.Status.Canary.Weights;
        var weights = new TrafficWeights
        {
            Canary = new WeightDestination
            {
                Weight = weight,
                ServiceName = ctx.Canary.CanaryService ?? "",
                PodTemplateHash = ctx.NewRS?.PodTemplateHash ?? "",
            },
            Stable = new WeightDestination
            {
                Weight = 100 - weight,
                ServiceName = ctx.Canary.StableService ?? "",
                PodTemplateHash = ctx.StableRS?.PodTemplateHash ?? "",
            },
        };
        if (previous == weights)
        {
            return;
        }

        ctx.Status = ctx.Status with { Canary = ctx.Status.Canary with { Weights = weights } };
        ctx.Add(RolloutEvents.TrafficWeightUpdated(previous?.Canary.Weight, weight));
    }
}
