extern alias CoordinatorKubernetes;

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Abstractions;
using Coordinator.KubeSim.Hosting;
using CoordinatorKubernetes::Coordinator.Kubernetes.Rollouts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Core.Internal;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Coordinator.Benchmarks.Failover;

/// <summary>
/// Azurite, KubeSim in this process (real HTTP on 127.0.0.1) with <c>clusters x namespaces</c> copies of the seed, and two
/// silos (<see cref="FailoverSilo"/>): the survivor in this process, the victim in a child process.
/// </summary>
internal sealed class FailoverFleet : IAsyncDisposable
{
    public const string Deployment = "rollouts-demo";

    /// <summary>What <c>kubectl set image deployment rollouts-demo rollouts-demo=&lt;image&gt;</c> sends.</summary>
    public static void SetImage(SimCluster cluster, string ns, string image) =>
        cluster.Patch("deployments", ns, Deployment,
            SetImagePatch.For(image),
            global::Coordinator.KubeSim.Patching.PatchKind.StrategicMerge);

    public static int DeploymentAvailable(SimCluster cluster, string ns) =>
        cluster.Get("deployments", ns, Deployment)?["status"]?["availableReplicas"]?.GetValue<int>() ?? 0;

    private const string SeedNamespace = "test";
    private readonly string _settingsFile;

    private FailoverFleet(Coordinator.Testing.Azurite azurite, KubeSimServer sim, IReadOnlyList<SimCluster> clusters, IReadOnlyList<string> namespaces,
        IHost survivor, Process victim, SiloAddress victimAddress, FailoverProbe probe, string settingsFile)
    {
        Azurite = azurite;
        Sim = sim;
        Clusters = clusters;
        Namespaces = namespaces;
        Survivor = survivor;
        Victim = victim;
        VictimAddress = victimAddress;
        Probe = probe;
        _settingsFile = settingsFile;
        Grains = survivor.Services.GetRequiredService<IGrainFactory>();
        SurvivorAddress = survivor.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
    }

    public Coordinator.Testing.Azurite Azurite { get; }

    public KubeSimServer Sim { get; }

    public IReadOnlyList<SimCluster> Clusters { get; }

    public IReadOnlyList<string> Namespaces { get; }

    /// <summary>The silo in this process; its grain factory is the benchmark's client.</summary>
    public IHost Survivor { get; }

    public SiloAddress SurvivorAddress { get; }

    /// <summary>The child process running the silo to kill.</summary>
    public Process Victim { get; }

    public SiloAddress VictimAddress { get; }

    public FailoverProbe Probe { get; }

    public IGrainFactory Grains { get; }

    public IEnumerable<(SimCluster Cluster, string Namespace)> Targets =>
        Clusters.SelectMany(c => Namespaces.Select(ns => (c, ns)));

    public static string Key(SimCluster cluster, string ns) => new RolloutKey(cluster.Name, ns, Deployment).ToString();

    public IRolloutGrain Rollout(SimCluster cluster, string ns) => Grains.GetGrain<IRolloutGrain>(Key(cluster, ns));

    public static async Task<FailoverFleet> StartAsync(FailoverBenchOptions options)
    {
        var azurite = await Coordinator.Testing.Azurite.StartAsync();
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

        var id = $"f{Guid.NewGuid():N}"[..12];
        var endpoints = clusters.Select(c => new FailoverClusterEndpoint(c.Name, c.ServerUrl)).ToList();
        FailoverSiloSettings Settings() => new(azurite.ConnectionString, id, id, "coordinator-failover-bench", FreePort(), FreePort(), endpoints);
        var settingsFile = Path.Combine(Path.GetTempPath(), $"{id}-silo.json");
        await File.WriteAllTextAsync(settingsFile, JsonSerializer.Serialize(Settings()));
        var victim = await FailoverSilo.StartChildAsync(settingsFile, TimeSpan.FromSeconds(120));

        var probe = new FailoverProbe();
        var survivor = FailoverSilo.Build(Settings(), probe);
        await survivor.StartAsync();
        probe.Listen(survivor.Services.GetRequiredService<ApiCallCounter>());
        var local = survivor.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var membership = survivor.Services.GetRequiredService<IClusterMembershipService>();
        var clock = Stopwatch.StartNew();
        SiloAddress? victimAddress;
        while ((victimAddress = membership.CurrentSnapshot.Members.Values
                   .FirstOrDefault(m => m.Status == SiloStatus.Active && !m.SiloAddress.Equals(local))?.SiloAddress) is null)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new InvalidOperationException("the two silos did not see each other");
            await Task.Delay(100);
        }
        return new FailoverFleet(azurite, sim, clusters, namespaces, survivor, victim, victimAddress, probe, settingsFile);
    }

    /// <summary>Where each rollout grain is active (grain types are reported as "Namespace.Type,Assembly").</summary>
    public async Task<DetailedGrainStatistic[]> RolloutActivationsAsync() =>
        (await Grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics())
            .Where(a => a.GrainType.StartsWith(typeof(Grains.Rollouts.RolloutGrain).FullName + ",", StringComparison.Ordinal))
            .ToArray();

    /// <summary>Moves an activation to <paramref name="silo"/> (as the test host's MigrateAsync: a placement hint, then migrate when idle).</summary>
    public async Task MigrateAsync(GrainId grain, SiloAddress silo)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
        try
        {
            await Grains.GetGrain<IGrainManagementExtension>(grain).MigrateOnIdle();
        }
        finally
        {
            RequestContext.Clear();
        }
    }

    /// <summary>SIGKILL: the silo process stops dead, writes nothing, answers nothing.</summary>
    public void KillVictim() => Victim.Kill(entireProcessTree: true);

    /// <summary>SIGSTOP: the silo keeps its sockets open and answers nothing, as a hung process or a frozen VM does.</summary>
    public void HangVictim()
    {
        using var stop = Process.Start(new ProcessStartInfo("kill", ["-STOP", Victim.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("could not run kill -STOP");
        stop.WaitForExit();
        if (stop.ExitCode != 0) throw new InvalidOperationException($"kill -STOP {Victim.Id} failed ({stop.ExitCode})");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!Victim.HasExited) Victim.Kill(entireProcessTree: true);
        await Victim.WaitForExitAsync();
        Victim.Dispose();
        try
        {
            await Survivor.StopAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"(stopping the surviving silo: {ex.GetType().Name}: {ex.Message})");
        }
        Survivor.Dispose();
        await Sim.DisposeAsync();
        await Azurite.DisposeAsync();
        File.Delete(_settingsFile);
    }
}
