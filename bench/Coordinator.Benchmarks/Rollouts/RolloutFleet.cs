extern alias CoordinatorKubernetes;

using System.Text.Json.Nodes;
using Coordinator.Abstractions;
using Coordinator.Grains;
using CoordinatorKubernetes::Coordinator.Kubernetes.Clusters;
using CoordinatorKubernetes::Coordinator.Kubernetes.Rollouts;
using Coordinator.KubeSim.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Coordinator.Benchmarks.Rollouts;

/// <summary>
/// KubeSim in this process (real HTTP on 127.0.0.1) with <c>clusters x namespaces</c> copies of the seed, and one
/// Orleans silo running the real rollout grains against it, with production reminder timing (1-minute period).
/// </summary>
internal sealed class RolloutFleet : IAsyncDisposable
{
    public const string Deployment = "rollouts-demo";
    private const string SeedNamespace = "test";

    private RolloutFleet(KubeSimServer sim, IReadOnlyList<SimCluster> clusters, IReadOnlyList<string> namespaces, InProcessTestCluster orleans)
    {
        Sim = sim;
        Clusters = clusters;
        Namespaces = namespaces;
        Orleans = orleans;
        var silo = orleans.Silos[0];
        Counter = orleans.GetSiloServiceProvider(silo.SiloAddress).GetRequiredService<ApiCallCounter>();
    }

    public KubeSimServer Sim { get; }

    public IReadOnlyList<SimCluster> Clusters { get; }

    public IReadOnlyList<string> Namespaces { get; }

    public InProcessTestCluster Orleans { get; }

    /// <summary>The gateway's count of API calls made for rollouts, and its log of acknowledged writes.</summary>
    public ApiCallCounter Counter { get; }

    public IEnumerable<(SimCluster Cluster, string Namespace)> Targets =>
        Clusters.SelectMany(c => Namespaces.Select(ns => (c, ns)));

    public IRolloutGrain Rollout(SimCluster cluster, string ns) =>
        Orleans.Client.GetGrain<IRolloutGrain>(new RolloutKey(cluster.Name, ns, Deployment).ToString());

    public static async Task<RolloutFleet> StartAsync(RolloutsBenchOptions options)
    {
        // Watch history must cover a busy cluster between a watch's reconnects.
        var sim = await KubeSimServer.StartAsync(new KubeSimOptions { PodReadyDelay = TimeSpan.FromMilliseconds(150), WatchHistoryLimit = 20_000 });
        var namespaces = Enumerable.Range(0, options.Namespaces).Select(i => i == 0 ? SeedNamespace : $"{SeedNamespace}-{i:D2}").ToList();
        var clusters = new List<SimCluster>();
        for (var i = 0; i < options.Clusters; i++)
        {
            var cluster = sim.AddCluster($"bench-{i:D4}");
            SeedNamespaces.Seed(cluster, namespaces);
            clusters.Add(cluster);
        }

        var definitions = clusters.Select(c => new ClusterDefinition { Name = c.Name, ServerUrl = new Uri(c.ServerUrl) }).ToList();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSiloHost((_, host) => host.Logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureClientHost(host => host.Logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(GrainStorageNames.Rollouts);
            silo.UseInMemoryReminderService();
            silo.AddCoordinatorGrains(_ => definitions); // production timing: reminders every minute, resync every 15
        });
        var orleans = builder.Build();
        await orleans.DeployAsync();
        return new RolloutFleet(sim, clusters, namespaces, orleans);
    }

    /// <summary>What <c>kubectl set image deployment rollouts-demo rollouts-demo=&lt;image&gt;</c> sends.</summary>
    public static void SetImage(SimCluster cluster, string ns, string image) =>
        cluster.Patch("deployments", ns, Deployment,
            "{\"spec\":{\"template\":{\"spec\":{\"$setElementOrder/containers\":[{\"name\":\"rollouts-demo\"}],\"containers\":[{\"image\":\"" + image + "\",\"name\":\"rollouts-demo\"}]}}}}",
            global::Coordinator.KubeSim.Patching.PatchKind.StrategicMerge);

    public static int? Replicas(SimCluster cluster, string ns, string replicaSet) =>
        cluster.Get("replicasets", ns, replicaSet)?["spec"]?["replicas"]?.GetValue<int>();

    public static int DeploymentAvailable(SimCluster cluster, string ns) =>
        cluster.Get("deployments", ns, Deployment)?["status"]?["availableReplicas"]?.GetValue<int>() ?? 0;

    public async ValueTask DisposeAsync()
    {
        await Orleans.DisposeAsync();
        await Sim.DisposeAsync();
    }
}
