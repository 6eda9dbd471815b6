extern alias CoordinatorKubernetes;

using Coordinator.Abstractions;
using Coordinator.Grains;
using CoordinatorKubernetes::Coordinator.Kubernetes.Clusters;
using CoordinatorKubernetes::Microsoft.Extensions.DependencyInjection;
using CoordinatorKubernetes::Coordinator.Kubernetes.Rollouts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Coordinator.Benchmarks.Rollouts;

/// <summary>
/// KubeSim (<see cref="FleetKubeSim"/>, in this process or its own) with <c>clusters x namespaces</c> copies of the seed,
/// and one Orleans silo running the real rollout grains against it, with production reminder timing (1-minute period).
/// </summary>
internal sealed class RolloutFleet : IAsyncDisposable
{
    public const string Deployment = "rollouts-demo";
    private const string SeedNamespace = "test";
    private readonly FleetKubeSim _sim;

    private RolloutFleet(FleetKubeSim sim, IReadOnlyList<FleetCluster> clusters, IReadOnlyList<string> namespaces, InProcessTestCluster orleans)
    {
        _sim = sim;
        Clusters = clusters;
        Namespaces = namespaces;
        Orleans = orleans;
        var silo = orleans.Silos[0];
        Counter = orleans.GetSiloServiceProvider(silo.SiloAddress).GetRequiredService<ApiCallCounter>();
    }

    public IReadOnlyList<FleetCluster> Clusters { get; }

    /// <summary>KubeSim's listener root, for its admin endpoints (<c>/_kubesim/stats</c>).</summary>
    public string KubeSimUrl => _sim.BaseUrl;

    /// <summary>KubeSim's runtime samples when it runs in its own process; null in this one (the silo's are KubeSim's).</summary>
    public RuntimeSampler? KubeSimRuntime() => _sim.RuntimeSamplesFile is { } file ? RuntimeSampler.ReadFile(file) : null;

    public IReadOnlyList<string> Namespaces { get; }

    public InProcessTestCluster Orleans { get; }

    /// <summary>The gateway's count of API calls made for rollouts, and its log of acknowledged writes.</summary>
    public ApiCallCounter Counter { get; }

    public IEnumerable<(FleetCluster Cluster, string Namespace)> Targets =>
        Clusters.SelectMany(c => Namespaces.Select(ns => (c, ns)));

    public IRolloutGrain Rollout(FleetCluster cluster, string ns) =>
        Orleans.Client.GetGrain<IRolloutGrain>(new RolloutKey(cluster.Name, ns, Deployment).ToString());

    public static async Task<RolloutFleet> StartAsync(RolloutsBenchOptions options)
    {
        var namespaces = Enumerable.Range(0, options.Namespaces).Select(i => i == 0 ? SeedNamespace : $"{SeedNamespace}-{i:D2}").ToList();
        var sim = await FleetKubeSim.StartAsync(options.Placement, options.Clusters, namespaces);
        var clusters = sim.Clusters.Select(c => new FleetCluster(c.Name, c.Url)).ToList();

        var definitions = clusters.Select(c => new ClusterDefinition { Name = c.Name, ServerUrl = new Uri(c.ServerUrl) }).ToList();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSiloHost((_, host) => host.Logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureClientHost(host => host.Logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureSilo((_, silo) =>
        {
            FileGrainStorage.AddTo(silo, GrainStorageNames.Rollouts);
            silo.UseInMemoryReminderService();
            silo.Services.AddKubernetesClusters(_ => definitions);
            silo.AddCoordinatorGrains(); // production timing: reminders every minute, resync every 15
        });
        var orleans = builder.Build();
        await orleans.DeployAsync();
        return new RolloutFleet(sim, clusters, namespaces, orleans);
    }

    public async ValueTask DisposeAsync()
    {
        await Orleans.DisposeAsync();
        foreach (var cluster in Clusters) cluster.Dispose();
        await _sim.DisposeAsync();
    }
}
