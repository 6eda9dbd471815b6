using Orleans.Concurrency;

namespace Coordinator.Grains.Fleet;

/// <summary>
/// The fleet-wide budget of concurrent cluster changes (one grain, key 0): fleet runs lease a slot per cluster they
/// change and give it back when the cluster is done, so all runs together never exceed
/// <see cref="FleetOptions.MaxClustersInProgress"/>. Leases are persisted; a run refused a slot is woken when one frees.
/// </summary>
public interface IFleetBudgetGrain : IGrainWithIntegerKey
{
    /// <summary>Slots free now (a hint for the planner; <see cref="Acquire"/> decides).</summary>
    [AlwaysInterleave, ReadOnly]
    Task<int> Free();

    /// <summary>Leases a slot for each of <paramref name="clusters"/> while there are free ones; returns those leased.</summary>
    Task<IReadOnlyList<string>> Acquire(string fleet, IReadOnlyList<string> clusters);

    /// <summary>Keeps only the leases of <paramref name="fleet"/> for <paramref name="inProgress"/>; the others are freed.</summary>
    Task Retain(string fleet, IReadOnlyList<string> inProgress);

    /// <summary>Frees the leases of <paramref name="fleet"/> for <paramref name="clusters"/> (those it holds).</summary>
    Task Release(string fleet, IReadOnlyList<string> clusters);
}
