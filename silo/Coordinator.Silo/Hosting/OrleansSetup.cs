using Coordinator.Grains;
using Coordinator.Kubernetes.Clusters;
using Coordinator.Silo.Configuration;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace Coordinator.Silo.Hosting;

/// <summary>The Orleans silo: clustering, grain storage and reminders chosen by configuration, the dashboard, the grains.</summary>
internal static class OrleansSetup
{
    public static void Configure(WebApplicationBuilder builder, CoordinatorOptions options, IReadOnlyList<ClusterDefinition> clusters)
    {
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
            silo.AddMemoryGrainStorage(GrainStorageNames.Rollouts);
            silo.UseInMemoryReminderService();
            silo.AddDashboard(o => o.CounterUpdateIntervalMs = 1000);
            silo.AddCoordinatorGrains(_ => clusters);
        });
    }
}
