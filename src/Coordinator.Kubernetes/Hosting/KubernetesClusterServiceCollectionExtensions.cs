using Coordinator.Domain.Ports;
using Coordinator.Kubernetes.Clusters;
using Coordinator.Kubernetes.Clusters.Resilience;
using Coordinator.Kubernetes.Rollouts;
using Coordinator.Kubernetes.Watching;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

public static class KubernetesClusterServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Kubernetes adapters behind the cluster ports: one client per cluster (<see cref="IClusterDirectory"/>),
    /// the cluster gateway (<see cref="IClusterGateway"/>) and the change hub that turns watches into wake-ups
    /// (<see cref="IClusterChanges"/>). The concrete classes stay resolvable for the host (stopping the watches) and tests.
    /// Every cluster's calls go through its own resilience pipeline built from <paramref name="resilience"/>
    /// (<c>Coordinator:Kubernetes</c>; defaults when null).
    /// </summary>
    public static IServiceCollection AddKubernetesClusters(this IServiceCollection services, Func<IServiceProvider, IEnumerable<ClusterDefinition>> clusters,
        KubernetesResilienceOptions? resilience = null)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ClusterRegistry(clusters(sp), resilience, sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<IClusterDirectory>(sp => sp.GetRequiredService<ClusterRegistry>());
        services.TryAddSingleton<ApiCallCounter>();
        services.TryAddSingleton<IClusterGateway, KubernetesClusterGateway>();
        services.TryAddSingleton<ClusterChangeHub>();
        services.TryAddSingleton<IClusterChanges>(sp => sp.GetRequiredService<ClusterChangeHub>());
        return services;
    }
}
