using Coordinator.Abstractions;
using Coordinator.Grains;
using Coordinator.Grains.Rollouts;
using Coordinator.Kubernetes.Clusters;
using Coordinator.KubeSim.Hosting;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Coordinator.Grains.Tests.Infrastructure;

/// <summary>
/// A KubeSim server (real HTTP on 127.0.0.1) and a one-silo Orleans test cluster running the real
/// rollout grains against it. Each test takes fresh simulated clusters, so tests do not share state.
/// </summary>
public class CoordinatorFixture : IAsyncLifetime
{
    private int _clusterCount;

    public KubeSimServer Sim { get; private set; } = null!;

    public InProcessTestCluster Orleans { get; private set; } = null!;

    public IGrainFactory Grains => Orleans.Client;

    /// <summary>Every reminder registration the silo wrote, by grain.</summary>
    public ReminderWrites ReminderWrites { get; } = new();

    /// <summary>The fleet-wide budget of concurrent cluster changes (<c>Coordinator:Fleet:MaxClustersInProgress</c>) in tests.</summary>
    public const int MaxClustersInProgress = 4;

    /// <summary>
    /// True when pods never turn Ready by themselves and tests play the kubelet (<see cref="TestCluster.MakePodsReady"/>):
    /// the only way to keep a canary unready for a progress-deadline test.
    /// </summary>
    public virtual bool ManualPodReadiness => false;

    public async Task InitializeAsync()
    {
        // An hour is "never" for a test; 50 ms keeps updates quick without making readiness instantaneous.
        var podReadyDelay = ManualPodReadiness ? TimeSpan.FromHours(1) : TimeSpan.FromMilliseconds(50);
        Sim = await KubeSimServer.StartAsync(new KubeSimOptions { PodReadyDelay = podReadyDelay });
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(GrainStorageNames.Rollouts);
            silo.UseInMemoryReminderService();
            var table = silo.Services.Last(d => d.ServiceType == typeof(IReminderTable));
            silo.Services.Remove(table);
            silo.Services.AddSingleton<IReminderTable>(sp => new CountingReminderTable((IReminderTable)table.ImplementationFactory!(sp), ReminderWrites));
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
            silo.Services.AddKubernetesClusters(_ => []);
            silo.AddCoordinatorGrains(timing => timing.ReminderPeriod = TimeSpan.FromSeconds(5), fleet => fleet.MaxClustersInProgress = MaxClustersInProgress);
        });
        Orleans = builder.Build();
        await Orleans.DeployAsync();
    }

    /// <summary>
    /// A new simulated cluster with the seed's starting point, known to the silos, its Deployment available; managed in
    /// <paramref name="namespaces"/> only when given (<c>Coordinator:Clusters[i]:Namespaces</c>).
    /// </summary>
    public async Task<TestCluster> NewClusterAsync(bool seed = true, IReadOnlyList<string>? namespaces = null)
    {
        var name = $"c{Interlocked.Increment(ref _clusterCount)}";
        var sim = Sim.AddCluster(name);
        if (seed) sim.LoadSeed();
        foreach (var silo in Orleans.Silos)
            Orleans.GetSiloServiceProvider(silo.SiloAddress).GetRequiredService<ClusterRegistry>()
                .Add(new ClusterDefinition { Name = name, ServerUrl = new Uri(sim.ServerUrl), Namespaces = namespaces ?? [] });
        var cluster = new TestCluster(name, sim, this);
        if (seed)
        {
            await cluster.WaitUntilAsync(() =>
            {
                if (ManualPodReadiness) cluster.MakePodsReady();
                return cluster.DeploymentAvailable("rollouts-demo") == 1;
            }, "the seed Deployment is available");
        }
        return cluster;
    }

    public async Task DisposeAsync()
    {
        await Orleans.DisposeAsync();
        await Sim.DisposeAsync();
    }
}

/// <summary>Pods stay Pending until a test marks them Ready: for progress deadlines and unready canaries.</summary>
public sealed class ManualPodsFixture : CoordinatorFixture
{
    public override bool ManualPodReadiness => true;
}

[CollectionDefinition(Name)]
public sealed class CoordinatorCollection : ICollectionFixture<CoordinatorFixture>
{
    public const string Name = "coordinator";
}

[CollectionDefinition(Name)]
public sealed class ManualPodsCollection : ICollectionFixture<ManualPodsFixture>
{
    public const string Name = "manual pods";
}
