using Coordinator.Abstractions;
using Coordinator.Grains.Observability;
using Microsoft.Extensions.DependencyInjection;

namespace Coordinator.Grains.Fleet;

/// <summary>Snapshots for callers, and the change feed behind the fleet watch (as the RolloutGrain's).</summary>
public sealed partial class FleetRolloutGrain
{
    private readonly SnapshotFeed<FleetSnapshot> _feed = new(s => s.Version);
    private string? _queuedError;

    public Task<IReadOnlyList<FleetSnapshot>> ChangesSince(long afterVersion, TimeSpan wait) =>
        _feed.ChangesSince(afterVersion, wait, Snapshot, _time);

    private FleetSnapshot Snapshot() =>
        FleetSnapshots.Create(_name, _spec, _plan, _run, _progress, _state.State, _queuedError, _time.GetUtcNow(), _freeSlots, _feed.Published);

    /// <summary>Records the current snapshot for watchers (after every durable change).</summary>
    private void Publish()
    {
        var snapshot = Snapshot();
        _feed.Publish(snapshot, _time.GetUtcNow());
        Live?.Publish(snapshot);
    }

    private LiveSnapshots? _live;

    /// <summary>Optional: a host without metrics (some test beds) registers no <see cref="LiveSnapshots"/>.</summary>
    private LiveSnapshots? Live => _live ??= ServiceProvider.GetService<LiveSnapshots>();

    /// <summary>A cluster's step or weight moved without changing the run state: published with a new version, not persisted.</summary>
    private void PublishIfChanged()
    {
        var snapshot = Snapshot();
        if (_feed.Published is { } published && FleetSnapshots.SameView(published, snapshot)) return;
        _state.State.Version++;
        Publish();
    }
}
