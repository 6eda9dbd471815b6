using Coordinator.Abstractions;

namespace Coordinator.Grains.Rollouts;

/// <summary>Snapshots for callers, and the change feed behind the gRPC watch.</summary>
public sealed partial class RolloutGrain
{
    private const int RetainedSnapshots = 64;

    private readonly LinkedList<RolloutSnapshot> _recent = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RolloutSnapshot? _published;

    public async Task<IReadOnlyList<RolloutSnapshot>> ChangesSince(long afterVersion, TimeSpan wait)
    {
        var changes = _recent.Where(s => s.Version > afterVersion).ToList();
        if (changes.Count > 0) return changes;
        // Only published snapshots go out (a change being saved, or whose Events are still being written, is not
        // news yet). Nothing published yet (a new activation), or a caller ahead of us (it saw an activation that
        // has since died, whose last versions were published but not persisted): start it from what we know.
        var known = _published ?? Snapshot();
        if (known.Version != afterVersion) return [known];

        await Task.WhenAny(_changed.Task, Task.Delay(wait, _time));
        return _recent.Where(s => s.Version > afterVersion).ToList();
    }

    private RolloutSnapshot Snapshot() =>
        RolloutSnapshots.Create(_key, _spec, _status, _state.State, _lastObserved?.Observation, _lastError, _time.GetUtcNow());

    /// <summary>Records the current snapshot for watchers (called after every durable change).</summary>
    private void Publish()
    {
        var snapshot = Snapshot();
        _published = snapshot;
        _recent.AddLast(snapshot);
        while (_recent.Count > RetainedSnapshots) _recent.RemoveFirst();
        var changed = _changed;
        _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
        NotifyFleet();
    }

    /// <summary>Observed-only changes (a pod became ready) are published with a new version, not persisted.</summary>
    private void PublishIfChanged()
    {
        var snapshot = Snapshot();
        if (_published is not null && RolloutSnapshots.SameView(_published, snapshot)) return;
        _state.State.Version++;
        Publish();
    }
}
