using Coordinator.Domain.Ports;
using Coordinator.Kubernetes.Clusters;
using Coordinator.Kubernetes.Rollouts;
using Coordinator.Kubernetes.Watching;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class KubernetesClusterServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Kubernetes adapters behind the cluster ports: one client per cluster (<see cref="IClusterDirectory"/>),
    /// the cluster gateway (<see cref="IClusterGateway"/>) and the change hub that turns watches into wake-ups
    /// (<see cref="IClusterChanges"/>). The concrete classes stay resolvable for the host (stopping the watches) and tests.
    /// </summary>
    public static IServiceCollection AddKubernetesClusters(this IServiceCollection services, Func<IServiceProvider, IEnumerable<ClusterDefinition>> clusters)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ClusterRegistry(clusters(sp)));
        services.TryAddSingleton<IClusterDirectory>(sp => sp.GetRequiredService<ClusterRegistry>());
        services.TryAddSingleton<ApiCallCounter>();
        services.TryAddSingleton<IClusterGateway, KubernetesClusterGateway>();
        services.TryAddSingleton<ClusterChangeHub>();
        services.TryAddSingleton<IClusterChanges>(sp => sp.GetRequiredService<ClusterChangeHub>());
        return services;
    }
}
