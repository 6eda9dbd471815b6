using Coordinator.Domain.Actions;
using Coordinator.Domain.Observation;
using Coordinator.Domain.State;

namespace Coordinator.Domain.Planning;

/// <summary>
/// Deleting a Rollout safely — the coordinator's improvement over Argo (seed README §6, Argo #3855). Argo removes the
/// hash selector and lets garbage collection delete the ReplicaSets, even when the Deployment is at 0 replicas. Here:
/// <list type="number">
/// <item>the Deployment is scaled back to N if needed and must have N available pods (bounded by a deadline; past it we
/// proceed and report it);</item>
/// <item>the VirtualService is set back to 100 % stable / 0 % canary if it is not already (Argo never touches it; once
/// both Services select the Deployment's pods either destination would work, but this returns the VirtualService to
/// its pre-rollout shape and is a no-op in the usual Healthy case);</item>
/// <item>the <c>rollouts-pod-template-hash</c> selector key and our managed-by annotation are removed from both
/// Services (Services managed by another Rollout are left alone);</item>
/// <item>only once the Services no longer select them, the Rollout's ReplicaSets are deleted, then their owner ConfigMap.</item>
/// </list>
/// Same loop contract as <see cref="RolloutPlanner"/>: apply, re-observe, call again until <see cref="Decision.Finished"/>.
/// The status is handed back unchanged: a deletion only writes to the cluster.
/// The grain emits <see cref="RolloutEvents.RolloutDeleted"/> when it accepts the delete.
/// </summary>
public static class RolloutDeletionPlanner
{
    public static Decision Decide(RolloutSpec spec, RolloutStatus status, ClusterObservation observed, DateTimeOffset now, DateTimeOffset handBackDeadline)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(observed);
        var actions = new List<RolloutAction>();
        var replicas = RolloutDefaults.GetReplicas(spec);
        var deployment = observed.Deployment;
        string? warning = null;

        var servicesClean = ServicesToHandBack(spec, observed).All(s => !IsStillOurs(s, observed.RolloutName));
        if (!servicesClean)
        {
            if (deployment is not null && (deployment.Replicas ?? 1) < replicas)
            {
                actions.Add(new ScaleDeployment(deployment.Name, deployment.Replicas ?? 1, replicas));
            }

            var ready = deployment is not null && deployment.AvailableReplicas >= replicas;
            if (!ready && now < handBackDeadline)
            {
                return new Decision(status, actions, handBackDeadline);
            }

            if (!ready)
            {
                warning = $"Deployment \"{spec.WorkloadRef?.Name}\" has {deployment?.AvailableReplicas ?? 0}/{replicas} available replicas at the hand-back deadline; handing traffic back anyway";
                actions.Add(RolloutEvents.DeploymentNotReady(warning));
            }

            RestoreStableWeights(spec, observed, actions);
            foreach (var service in ServicesToHandBack(spec, observed).Where(s => IsStillOurs(s, observed.RolloutName)))
            {
                ReleaseService(service, observed.RolloutName, actions);
            }

            return new Decision(status, actions, null, Warning: warning);
        }

        foreach (var rs in observed.ReplicaSets)
        {
            actions.Add(new DeleteReplicaSet(rs.Name));
        }

        // The owner goes last, once the safe hand-back is done: anything its deletion leaves behind (a ReplicaSet created
        // concurrently, say) is the garbage collector's.
        if (observed.Owner is { } owner && RolloutOwner.BelongsTo(owner, observed.RolloutName))
        {
            actions.Add(new DeleteOwnerConfigMap(owner.Name));
            return new Decision(status, actions, null);
        }

        return new Decision(status, actions, null, Finished: observed.ReplicaSets.Count == 0);
    }

    private static IEnumerable<ObservedService> ServicesToHandBack(RolloutSpec spec, ClusterObservation observed)
    {
        var canary = spec.Strategy.Canary;
        foreach (var name in new[] { canary?.StableService, canary?.CanaryService })
        {
            if (observed.FindService(name) is { } service && (ManagedBy(service) ?? observed.RolloutName) == observed.RolloutName)
            {
                yield return service;
            }
        }
    }

    private static string? ManagedBy(ObservedService service) =>
        service.Annotations.TryGetValue(ReplicaSetAnnotations.ManagedByRollouts, out var owner) ? owner : null;

    private static bool IsStillOurs(ObservedService service, string rolloutName) =>
        service.Selector.ContainsKey(ReplicaSetAnnotations.PodTemplateHashLabel) || ManagedBy(service) == rolloutName;

    private static void ReleaseService(ObservedService service, string rolloutName, List<RolloutAction> actions)
    {
        if (service.Selector.TryGetValue(ReplicaSetAnnotations.PodTemplateHashLabel, out var hash))
        {
            actions.Add(new SwitchServiceSelector(service.Name, hash, null));
            actions.Add(RolloutEvents.SwitchService(service.Name, hash, ""));
        }

        if (ManagedBy(service) == rolloutName)
        {
            actions.Add(new SetServiceAnnotation(service.Name, ReplicaSetAnnotations.ManagedByRollouts, null));
        }
    }

    private static void RestoreStableWeights(RolloutSpec spec, ClusterObservation observed, List<RolloutAction> actions)
    {
        var canaryService = spec.Strategy.Canary?.CanaryService ?? "";
        var stableService = spec.Strategy.Canary?.StableService ?? "";
        foreach (var (reference, _) in IstioRoutes.References(spec))
        {
            var (name, @namespace) = IstioRoutes.ResolveName(reference.Name ?? "", observed.Namespace);
            if (observed.FindVirtualService(name, @namespace) is not { } vs)
            {
                continue;
            }

            var (routes, error) = IstioRoutes.SelectHttpRoutes(reference, vs);
            if (error is null && routes.Any(r => (IstioRoutes.ObservedWeight(r, canaryService) ?? 0) > 0))
            {
                actions.Add(new SetVirtualServiceWeights(name, @namespace, [.. reference.Routes], canaryService, stableService, 0, 100));
                actions.Add(RolloutEvents.VirtualServiceWeightSet(name, 0));
            }
        }
    }
}
