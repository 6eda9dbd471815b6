using Coordinator.Abstractions;
using Coordinator.Domain.Ports;
using Microsoft.Extensions.Logging;

namespace Coordinator.Grains.Fleet;

/// <summary>
/// Knows the configured clusters (every silo has the same registry) and which Rollouts exist.
/// Reachability is probed with <c>GET /version</c> under a short deadline, in parallel.
/// </summary>
public sealed class FleetDirectoryGrain(
    [PersistentState("fleet", GrainStorageNames.Rollouts)] IPersistentState<FleetDirectoryState> state,
    IClusterDirectory directory,
    ILogger<FleetDirectoryGrain> logger) : Grain, IFleetDirectoryGrain
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    public async Task<IReadOnlyList<ClusterInfo>> ListClusters(bool probe)
    {
        var clusters = directory.ListClusters();
        if (!probe) return clusters.Select(Describe).ToList();
        return await Task.WhenAll(clusters.Select(ProbeAsync));
    }

    public Task<IReadOnlyList<RolloutKey>> ListRollouts() =>
        Task.FromResult<IReadOnlyList<RolloutKey>>(state.State.Rollouts.ToList());

    public async Task RolloutCreated(RolloutKey key)
    {
        if (state.State.Rollouts.Add(key)) await state.WriteStateAsync();
    }

    public async Task RolloutRemoved(RolloutKey key)
    {
        if (state.State.Rollouts.Remove(key)) await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> ListFleets() =>
        Task.FromResult<IReadOnlyList<string>>(state.State.Fleets.Order(StringComparer.Ordinal).ToList());

    public async Task FleetCreated(string name)
    {
        if (state.State.Fleets.Add(name)) await state.WriteStateAsync();
    }

    public async Task FleetRemoved(string name)
    {
        if (state.State.Fleets.Remove(name)) await state.WriteStateAsync();
    }

    private static ClusterInfo Describe(ClusterEntry cluster) => new()
    {
        Name = cluster.Name,
        Labels = cluster.Labels,
        Server = cluster.Server,
    };

    private async Task<ClusterInfo> ProbeAsync(ClusterEntry cluster)
    {
        using var timeout = new CancellationTokenSource(ProbeTimeout);
        try
        {
            var version = await directory.ServerVersionAsync(cluster.Name, timeout.Token);
            return Describe(cluster) with { Reachable = true, Version = version };
        }
        catch (Exception ex)
        {
            // Only the exception type and status: messages of HTTP failures can echo request details.
            logger.LogInformation("Cluster {Cluster} is unreachable: {Error}", cluster.Name, ex.GetType().Name);
            return Describe(cluster) with { Reachable = false, Error = ex is OperationCanceledException ? "timed out" : ex.GetType().Name };
        }
    }
}
