using Coordinator.KubeSim.Hosting;
using Coordinator.Silo.Configuration;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// The simulated clusters the silo runs in-process (KubeSim): the default fleet when no cluster is
/// configured, or the clusters marked <c>Simulated</c>. Each is preloaded with the seed scenario.
/// </summary>
public sealed class EmbeddedFleet : IAsyncDisposable
{
    private EmbeddedFleet(KubeSimServer? server) => Server = server;

    public KubeSimServer? Server { get; }

    public static async Task<EmbeddedFleet> StartAsync(IReadOnlyList<TargetClusterOptions> simulated, EmbeddedFleetOptions options)
    {
        if (simulated.Count == 0) return new EmbeddedFleet(null);
        var server = await KubeSimServer.StartAsync(new KubeSimOptions { Port = options.Port });
        foreach (var cluster in simulated)
        {
            var sim = server.AddCluster(cluster.Name, cluster.Labels);
            if (options.Seed) sim.LoadSeed();
        }
        return new EmbeddedFleet(server);
    }

    public Uri UrlOf(string cluster) =>
        Server is { } server && server.TryGetCluster(cluster, out var sim)
            ? new Uri(sim.ServerUrl)
            : throw new InvalidOperationException($"cluster '{cluster}' is not simulated");

    public async ValueTask DisposeAsync()
    {
        if (Server is not null) await Server.DisposeAsync();
    }
}
