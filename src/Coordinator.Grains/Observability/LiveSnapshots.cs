using System.Collections.Concurrent;
using Coordinator.Abstractions;

namespace Coordinator.Grains.Observability;

/// <summary>
/// The last snapshot each Rollout and FleetRollout activated on this silo published: what the observable gauges
/// (<see cref="LiveSnapshotMetrics"/>) report at each scrape, without a grain call. A grain that goes idle keeps its
/// entry (nothing changed since); a deleted one, or one that moves to another silo, leaves.
/// One per process (<see cref="Process"/>), as the meters that read it are: a second set of instruments of the same
/// name (several silos in one test process) would be dropped by OpenTelemetry as a duplicate.
/// </summary>
public sealed class LiveSnapshots
{
    public static LiveSnapshots Process { get; } = new();

    private readonly ConcurrentDictionary<RolloutKey, RolloutSnapshot> _rollouts = new();
    private readonly ConcurrentDictionary<string, FleetSnapshot> _fleets = new(StringComparer.Ordinal);

    public IReadOnlyCollection<RolloutSnapshot> Rollouts => (IReadOnlyCollection<RolloutSnapshot>)_rollouts.Values;

    public IReadOnlyCollection<FleetSnapshot> Fleets => (IReadOnlyCollection<FleetSnapshot>)_fleets.Values;

    /// <summary>Raised when a fleet wave's end appears in a published snapshot (the wave-duration histogram listens).</summary>
    public event Action<FleetSnapshot, FleetWaveStatus>? WaveFinished;

    public void Publish(RolloutSnapshot snapshot)
    {
        if (snapshot.Exists && !snapshot.Deleting) _rollouts[snapshot.Key] = snapshot;
        else _rollouts.TryRemove(snapshot.Key, out _);
    }

    public void Forget(RolloutKey key) => _rollouts.TryRemove(key, out _);

    public void Publish(FleetSnapshot snapshot)
    {
        _fleets.TryGetValue(snapshot.Name, out var before);
        if (snapshot.Exists) _fleets[snapshot.Name] = snapshot;
        else _fleets.TryRemove(snapshot.Name, out _);
        if (WaveFinished is not { } finished) return;
        foreach (var wave in snapshot.Waves)
        {
            if (wave.FinishedAt is null || wave.StartedAt is null) continue;
            var previously = before?.Run == snapshot.Run ? before.Waves.FirstOrDefault(w => w.Name == wave.Name) : null;
            // A silo that activates the grain after the wave ended has no "before": the wave was counted where it ended.
            if (before is null || previously?.FinishedAt is not null) continue;
            finished(snapshot, wave);
        }
    }

    public void Forget(string fleet) => _fleets.TryRemove(fleet, out _);
}
