using System.Diagnostics;
using Coordinator.Abstractions;
using Coordinator.Domain.Fleet;
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

    /// <summary>
    /// The shortest time between two snapshots while clusters move: a snapshot visits every cluster of the run, and passes
    /// come as often as clusters report (hundreds a second in a large wave), so one per pass made building snapshots a
    /// large part of the fleet's work. A watcher sees the run at most this much late; a new phase, wave or run, and the
    /// first change after a quiet moment, go out at once. It grows with the run (0.1 ms per cluster, 100 ms at least):
    /// each watcher gets whole snapshots, and ten a second of 10,000 clusters (large objects all) kept the collector busy.
    /// </summary>
    private TimeSpan PublishSpacing => TimeSpan.FromMilliseconds(Math.Max(100, 0.1 * (_run?.Clusters.Count ?? 0)));

    private long _publishedAt;
    private (int Run, FleetRunPhase Phase, int Wave)? _publishedTurn;
    private IGrainTimer? _publishTimer;
    private bool _publishArmed;

    /// <summary>A change is waiting to be published; <see cref="_savedUnpublished"/>: one of them was saved with a new version.</summary>
    private bool _publishPending;
    private bool _savedUnpublished;

    /// <summary>Records the current snapshot for watchers after a durable change (its version was counted with it).</summary>
    private void Publish() => RequestPublish(saved: true);

    /// <summary>A cluster's step or weight moved without changing the run state: published with a new version, not persisted.</summary>
    private void PublishIfChanged() => RequestPublish(saved: false);

    private void RequestPublish(bool saved)
    {
        _publishPending = true;
        _savedUnpublished |= saved;
        var turn = _run is null ? ((int, FleetRunPhase, int)?)null : (_run.Run, _run.Phase, _run.CurrentWave);
        if (_feed.Published is null || turn is null || turn != _publishedTurn || Stopwatch.GetElapsedTime(_publishedAt) >= PublishSpacing)
            PublishPending();
        else if (!_publishArmed)
        {
            _publishArmed = true;
            var due = PublishSpacing - Stopwatch.GetElapsedTime(_publishedAt);
            if (_publishTimer is null)
                _publishTimer = this.RegisterGrainTimer(_ => PublishDeferred(), new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = false });
            else
                _publishTimer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private Task PublishDeferred()
    {
        _publishArmed = false;
        if (_publishPending) PublishPending();
        return Task.CompletedTask;
    }

    private void PublishPending()
    {
        _publishPending = false;
        var snapshot = Snapshot();
        if (!_savedUnpublished)
        {
            if (_feed.Published is { } published && FleetSnapshots.SameView(published, snapshot)) return;
            _state.State.Version++;
            snapshot = snapshot with { Version = _state.State.Version };
        }
        _savedUnpublished = false;
        _publishedAt = Stopwatch.GetTimestamp();
        _publishedTurn = _run is null ? null : (_run.Run, _run.Phase, _run.CurrentWave);
        _feed.Publish(snapshot, _time.GetUtcNow());
        Live?.Publish(snapshot);
    }

    private LiveSnapshots? _live;

    /// <summary>Optional: a host without metrics (some test beds) registers no <see cref="LiveSnapshots"/>.</summary>
    private LiveSnapshots? Live => _live ??= ServiceProvider.GetService<LiveSnapshots>();
}
