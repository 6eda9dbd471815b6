extern alias CoordinatorKubernetes;

using Coordinator.Grains;
using CoordinatorKubernetes::Coordinator.Kubernetes.Clusters;
using CoordinatorKubernetes::Microsoft.Extensions.DependencyInjection;
using CoordinatorKubernetes::Coordinator.Kubernetes.Rollouts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Coordinator.Benchmarks.Fleet;

/// <summary>
/// One silo in this process (the process's memory is the silo's: KubeSim runs in its own), running the real grains
/// with production timing, in-memory storage and reminders, against the benchmark fleet's clusters with their labels.
/// The coordinator manages namespace test only, so the baseline loop's namespace is not watched.
/// </summary>
internal static class FleetSilo
{
    /// <param name="callTimeout">
    /// Orleans' response timeout for the benchmark's calls: a FleetRollout's Apply checks the template against every
    /// cluster before it answers, which at 10,000 clusters takes longer than Orleans' default 30 s.
    /// </param>
    public static async Task<InProcessTestCluster> StartAsync(IReadOnlyList<(string Name, string Url)> clusters, int maxClustersInProgress, TimeSpan callTimeout)
    {
        var definitions = clusters.Select(c => new ClusterDefinition
        {
            Name = c.Name, ServerUrl = new Uri(c.Url), Labels = FleetLayout.Labels(c.Name), Namespaces = [FleetCommitLog.Namespace],
        }).ToList();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSiloHost((_, host) => host.Logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureClientHost(host => host.Logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureClient(client => client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = callTimeout));
        builder.ConfigureSilo((_, silo) =>
        {
            FileGrainStorage.AddTo(silo, GrainStorageNames.Rollouts);
            silo.UseInMemoryReminderService();
            silo.Services.AddKubernetesClusters(_ => definitions);
            // Production timing (reminders every minute, resync every 15); the fleet-wide budget as given.
            silo.AddCoordinatorGrains(fleet: o => o.MaxClustersInProgress = maxClustersInProgress);
        });
        var orleans = builder.Build();
        await orleans.DeployAsync();
        return orleans;
    }

    public static ApiCallCounter Counter(InProcessTestCluster orleans) =>
        orleans.GetSiloServiceProvider(orleans.Silos[0].SiloAddress).GetRequiredService<ApiCallCounter>();
}
