using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Coordinator.Grains.Fleet;

public sealed class FleetBudgetGrain(
    [PersistentState("fleetBudget", GrainStorageNames.Rollouts)] IPersistentState<FleetBudgetState> state,
    IOptions<FleetOptions> options,
    ILogger<FleetBudgetGrain> logger) : Grain, IFleetBudgetGrain
{
    private int Max => Math.Max(1, options.Value.MaxClustersInProgress);

    private int Held => state.State.Leases.Values.Sum(l => l.Count);

    public Task<int> Free() => Task.FromResult(Math.Max(0, Max - Held));

    public async Task<IReadOnlyList<string>> Acquire(string fleet, IReadOnlyList<string> clusters)
    {
        var leases = state.State.Leases.TryGetValue(fleet, out var held) ? held : state.State.Leases[fleet] = [];
        var granted = new List<string>();
        var free = Max - Held;
        var changed = false;
        foreach (var cluster in clusters)
        {
            if (leases.Contains(cluster)) granted.Add(cluster);
            else if (free > 0)
            {
                leases.Add(cluster);
                granted.Add(cluster);
                free--;
                changed = true;
            }
        }
        if (granted.Count < clusters.Count && state.State.Waiting.Add(fleet))
        {
            changed = true;
            logger.LogInformation("Fleet {Fleet} waits for {Count} fleet-wide slots ({Max} in use)", fleet, clusters.Count - granted.Count, Max);
        }
        if (leases.Count == 0) state.State.Leases.Remove(fleet);
        if (changed) await state.WriteStateAsync();
        return granted;
    }

    public async Task Retain(string fleet, IReadOnlyList<string> inProgress)
    {
        if (!state.State.Leases.TryGetValue(fleet, out var leases)) return;
        var keep = inProgress.ToHashSet(StringComparer.Ordinal); // a list lookup per lease is quadratic at thousands in progress
        await FreedAsync(fleet, leases, leases.RemoveWhere(c => !keep.Contains(c)));
    }

    public async Task Release(string fleet, IReadOnlyList<string> clusters)
    {
        if (!state.State.Leases.TryGetValue(fleet, out var leases)) return;
        var freed = 0;
        foreach (var cluster in clusters) freed += leases.Remove(cluster) ? 1 : 0;
        await FreedAsync(fleet, leases, freed);
    }

    /// <summary>Saves the leases after <paramref name="freed"/> of <paramref name="fleet"/>'s were freed, and wakes the fleets waiting for a slot.</summary>
    private async Task FreedAsync(string fleet, HashSet<string> leases, int freed)
    {
        if (freed == 0) return;
        if (leases.Count == 0) state.State.Leases.Remove(fleet);
        var waiting = state.State.Waiting.Where(w => w != fleet).ToList();
        state.State.Waiting.ExceptWith(waiting);
        await state.WriteStateAsync();
        foreach (var other in waiting) GrainFactory.GetGrain<IFleetRunGrain>(other).Wake().Ignore();
    }
}

[GenerateSerializer]
public sealed class FleetBudgetState
{
    /// <summary>Per fleet, the clusters holding a slot.</summary>
    [Id(0)] public Dictionary<string, HashSet<string>> Leases { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Fleets refused a slot: woken when one frees.</summary>
    [Id(1)] public HashSet<string> Waiting { get; set; } = new(StringComparer.Ordinal);
}
