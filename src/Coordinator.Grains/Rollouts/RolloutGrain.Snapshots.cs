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
        var current = Snapshot();
        // A caller ahead of us saw an activation that has since died (versions published but not persisted):
        // start it again from what this activation knows.
        if (current.Version != afterVersion) return [current];

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
