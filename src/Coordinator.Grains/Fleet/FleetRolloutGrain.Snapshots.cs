using Coordinator.Abstractions;

namespace Coordinator.Grains.Fleet;

/// <summary>Snapshots for callers, and the change feed behind the fleet watch (as the RolloutGrain's).</summary>
public sealed partial class FleetRolloutGrain
{
    private const int RetainedSnapshots = 64;

    private readonly LinkedList<FleetSnapshot> _recent = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FleetSnapshot? _published;
    private string? _queuedError;

    public async Task<IReadOnlyList<FleetSnapshot>> ChangesSince(long afterVersion, TimeSpan wait)
    {
        var changes = _recent.Where(s => s.Version > afterVersion).ToList();
        if (changes.Count > 0) return changes;
        // Nothing published yet (a new activation), or a caller ahead of us (it saw an activation that has since died):
        // start it from what we know.
        var known = _published ?? Snapshot();
        if (known.Version != afterVersion) return [known];

        await Task.WhenAny(_changed.Task, Task.Delay(wait, _time));
        return _recent.Where(s => s.Version > afterVersion).ToList();
    }

    private FleetSnapshot Snapshot() =>
        FleetSnapshots.Create(_name, _spec, _plan, _run, _progress, _state.State, _queuedError, _time.GetUtcNow(), _freeSlots);

    /// <summary>Records the current snapshot for watchers (after every durable change, and when a cluster's progress shows).</summary>
    private void Publish()
    {
        var snapshot = Snapshot();
        _published = snapshot;
        _recent.AddLast(snapshot);
        while (_recent.Count > RetainedSnapshots) _recent.RemoveFirst();
        var changed = _changed;
        _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    /// <summary>A cluster's step or weight moved without changing the run state: published with a new version, not persisted.</summary>
    private void PublishIfChanged()
    {
        var snapshot = Snapshot();
        if (_published is not null && FleetSnapshots.SameView(_published, snapshot)) return;
        _state.State.Version++;
        Publish();
    }
}
