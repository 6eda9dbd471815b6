using Coordinator.Domain.Ports;
using Coordinator.Grains.Rollouts;
using Coordinator.Kubernetes.Clusters;
using Coordinator.Kubernetes.Rollouts;
using Coordinator.Kubernetes.Watching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Orleans.Hosting;

public static class CoordinatorSiloBuilderExtensions
{
    /// <summary>
    /// Registers what the rollout grains need on a silo: one Kubernetes client per cluster, the cluster
    /// gateway, the change hub that turns watches into wake-ups, and a clock. Grain storage named
    /// <c>rollouts</c> and a reminder service are the host's choice and must be added separately.
    /// </summary>
    public static ISiloBuilder AddCoordinatorGrains(this ISiloBuilder silo, Func<IServiceProvider, IEnumerable<ClusterDefinition>> clusters, Action<RolloutTimingOptions>? timing = null)
    {
        var services = silo.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ClusterRegistry(clusters(sp)));
        services.TryAddSingleton<ApiCallCounter>();
        services.TryAddSingleton<IClusterGateway, KubernetesClusterGateway>();
        services.TryAddSingleton<ClusterChangeHub>();
        services.AddHostedService<Coordinator.Grains.Fleet.SiloFailureWaker>();
        var options = services.AddOptions<RolloutTimingOptions>();
        if (timing is not null) options.Configure(timing);
        return silo;
    }
}
