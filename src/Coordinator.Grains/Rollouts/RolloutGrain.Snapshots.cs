using Coordinator.Abstractions;

namespace Coordinator.Grains.Rollouts;

/// <summary>Snapshots for callers, and the change feed behind the gRPC watch.</summary>
public sealed partial class RolloutGrain
{
    private readonly SnapshotFeed<RolloutSnapshot> _feed = new(s => s.Version);

    public Task<IReadOnlyList<RolloutSnapshot>> ChangesSince(long afterVersion, TimeSpan wait) =>
        _feed.ChangesSince(afterVersion, wait, Snapshot, _time);

    private RolloutSnapshot Snapshot() =>
        RolloutSnapshots.Create(_key, _spec, _status, _state.State, _lastObserved?.Observation, _lastError, _time.GetUtcNow(), _feed.Published);

    /// <summary>Records the current snapshot for watchers (called after every durable change).</summary>
    private void Publish()
    {
        var snapshot = Snapshot();
        _feed.Publish(snapshot, _time.GetUtcNow());
        Live?.Publish(snapshot);
        NotifyFleet();
    }

    /// <summary>Observed-only changes (a pod became ready) are published with a new version, not persisted.</summary>
    private void PublishIfChanged()
    {
        var snapshot = Snapshot();
        if (_feed.Published is { } published && RolloutSnapshots.SameView(published, snapshot)) return;
        _state.State.Version++;
        Publish();
    }
}
