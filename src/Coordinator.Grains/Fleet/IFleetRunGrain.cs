using Orleans.Concurrency;

namespace Coordinator.Grains.Fleet;

/// <summary>How the RolloutGrains and the fleet-wide budget notify a FleetRollout (same grain as <c>IFleetRolloutGrain</c>).</summary>
public interface IFleetRunGrain : IGrainWithStringKey
{
    /// <summary>A cluster's Rollout that run <paramref name="run"/> changed published a new state.</summary>
    [OneWay]
    Task ClusterChanged(int run, MemberProgress progress);

    /// <summary>Look again now (a fleet-wide slot was freed, or a silo died and deadlines may have passed).</summary>
    [OneWay]
    Task Wake();
}
