using Coordinator.Domain.Ports;
using Coordinator.Domain.State;
using Coordinator.Kubernetes.Clusters;

namespace Coordinator.Kubernetes.Rollouts;

/// <summary>
/// A cluster configured with <c>Namespaces</c> is managed there only: its watches cover nothing else and its RBAC
/// (a Role per namespace) grants nothing else, so a rollout reaching outside them is refused before any call, with the
/// namespace named, rather than half-run against 403s (or, where RBAC is wider, run where it was not meant to).
/// </summary>
internal static class ManagedNamespaces
{
    public static void Ensure(ClusterDefinition cluster, RolloutTarget target, RolloutSpec? spec = null)
    {
        if (cluster.Namespaces.Count == 0) return;
        Ensure(cluster, target.Namespace, "metadata.namespace");
        if (spec is null) return;
        foreach (var (ns, name) in RolloutObserver.VirtualServiceRefs(spec, target.Namespace))
            Ensure(cluster, ns, $"virtualService {ns}/{name}");
    }

    private static void Ensure(ClusterDefinition cluster, string @namespace, string what)
    {
        if (cluster.Namespaces.Contains(@namespace, StringComparer.Ordinal)) return;
        throw new ClusterCallException(ClusterCallFailure.Rejected,
            $"{what}: namespace '{@namespace}' is not managed in cluster '{cluster.Name}' (its Namespaces: {string.Join(", ", cluster.Namespaces)})");
    }
}
