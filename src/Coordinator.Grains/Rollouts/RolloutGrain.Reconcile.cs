using Coordinator.Abstractions;
using Coordinator.Domain.Actions;
using Coordinator.Domain.Planning;
using Coordinator.Domain.Ports;
using Coordinator.Domain.State;
using Coordinator.Domain.Text;
using Coordinator.Grains.Fleet;
using Microsoft.Extensions.Logging;

namespace Coordinator.Grains.Rollouts;

public sealed partial class RolloutGrain
{
    /// <summary>
    /// Enough passes for the longest chain of writes and status steps one reconcile can unlock (each decision is one
    /// planner pass); a guard, not a budget.
    /// </summary>
    private const int MaxPasses = 64;

    private Observed? _lastObserved;
    private RolloutSpec? _savedSpec;
    private bool _clusterChanged = true;
    private bool _readAfterFailure;
    private string? _lastError;

    /// <summary>
    /// The level-triggered loop, and the only one: observe the cluster, let the pure planner decide one pass, apply its
    /// writes in order, persist the new status, and decide again (looking again only after an object was written)
    /// until a decision has nothing to do and leaves the status as it was.
    /// A failed write stops the pass without persisting its status (the next pass re-plans from what
    /// the cluster shows), and the retry is scheduled with backoff.
    /// Looks come from the cluster's watch cache; a user command's first look, and the first after a failure, read the
    /// API server, so that a command acts on what the user just did and a refused write is retried on the truth.
    /// </summary>
    private async Task ReconcileCoreAsync(bool trustLastObservation, ObservationSource firstLook)
    {
        var source = _readAfterFailure ? ObservationSource.ApiServer : firstLook;
        if (!Exists) return;
        DateTimeOffset? wakeAt = null;
        // A deadline (a pause's end) wakes us with nothing changed in the cluster since our last look, as far as
        // the watches tell: decide on that look instead of reading five objects again (Argo decides on its
        // informer caches the same way). A stale VirtualService still fails its write with a 409 and we look again.
        Observed? observed = trustLastObservation && !_clusterChanged ? _lastObserved : null;
        // The loop saves once, when it ends, as Argo's reconcile writes the Rollout's status once after its object
        // writes: a pause's end, its weight, the owner display and the next pause cost one storage write, not one
        // per pass, and none before the VirtualService write. The saved status never claims a write that did not
        // land: a failed write saves what the passes before it did (so their step events are not sent twice) and
        // stops. A crash before the save leaves the status of the last save; the successor re-plans from what the
        // cluster shows, as after any crash.
        var unsaved = false;
        DateTimeOffset? pauseEnded = null; // a pause step expired: the next VirtualService write measures the step lag
        for (var pass = 0; pass < MaxPasses; pass++)
        {
            var now = _time.GetUtcNow();
            if (observed is null)
            {
                try
                {
                    _clusterChanged = false;
                    observed = await _gateway.ObserveAsync(Target, _spec!, source, _lastObserved, CancellationToken.None);
                    (source, _readAfterFailure) = (ObservationSource.Cache, false);
                }
                catch (ClusterCallException ex)
                {
                    if (unsaved || HasUnsavedEvents) await PersistAsync();
                    RecordFailure(ex);
                    return;
                }
                _lastObserved = observed;
            }
            if (observed.Observation.Pods is null && !_state.State.Deleting && RolloutRestart.NeedsPods(_spec!, _status, now))
            {
                // A restartAt restart is due: only then does a look include the pods (one list call; pods are not watched).
                try
                {
                    var pods = await _gateway.ListPodsAsync(Target, CancellationToken.None);
                    observed = observed with { Observation = observed.Observation with { Pods = pods } };
                }
                catch (ClusterCallException ex)
                {
                    if (unsaved || HasUnsavedEvents) await PersistAsync();
                    RecordFailure(ex);
                    return;
                }
            }
            // The command's own Event first; saved with this pass's status at the latest.
            unsaved |= RecordCommandEvent();

            var decision = Decide(observed, now);
            pauseEnded ??= RolloutPlanner.ExpiredPauseEnd(_spec!, _status, decision.NewStatus, now);

            var wrote = false;
            var wroteObjects = false;
            foreach (var action in decision.Actions)
            {
                if (action is EmitEvent pending)
                {
                    // Events report writes that already landed; they go out in order once saved (RolloutGrain.Events.cs).
                    RecordEvent(pending, now);
                    wrote = true;
                    continue;
                }
                bool applied;
                try
                {
                    applied = await _gateway.ApplyAsync(Target, observed, action, CancellationToken.None);
                }
                catch (ClusterCallException ex)
                {
                    if (action is WriteOwnerConfigMap { Create: false })
                    {
                        // The owner's status display, always last: every other write of the decision landed and its
                        // events are sent, so its status stands; the display is retried after a fresh look.
                        _status = decision.NewStatus;
                        _state.State.WakeAt = decision.WakeAt;
                        unsaved = true;
                    }
                    if (unsaved || HasUnsavedEvents) await PersistAsync();
                    RecordFailure(ex);
                    return;
                }
                wrote |= applied;
                if (applied && action is SetVirtualServiceWeights && pauseEnded is { } ended)
                {
                    RolloutMetrics.RecordStepLag(_time.GetUtcNow() - ended, _key.Cluster);
                    pauseEnded = null;
                }
                wroteObjects |= applied;
                LogAction(action);
            }
            _lastError = null;

            if (decision.Finished)
            {
                await FinishDeletionAsync();
                return;
            }

            // Events change nothing the planner observes: look at the cluster again only after an object was written.
            if (wroteObjects) observed = null;
            if (decision.Warning is { } warning) _logger.LogWarning("{Warning}", warning);
            // The planner compared the status it was given (this one) with its new one; asked again only where it did not.
            var statusChanged = !(decision.StatusKept ?? StateJson.Equal(_status, decision.NewStatus));
            _status = decision.NewStatus;
            wakeAt = decision.WakeAt;
            if (statusChanged || wrote || decision.Actions.Count > 0)
            {
                // Saved with the status, so that the snapshot published with it shows the right next wake-up.
                _state.State.WakeAt = wakeAt;
                unsaved = true;
            }
            else
            {
                // Nothing left to do: a status moved by the passes before is saved below, with this pass's wake-up,
                // and published once saved (with its Events in the cluster); otherwise only the look changed.
                if (unsaved) _state.State.WakeAt = wakeAt;
                else PublishIfChanged();
            }
            if (!wrote && !statusChanged) break;
        }
        if (unsaved) await PersistAsync();
        await ScheduleWakeAsync(wakeAt);
    }

    /// <summary>One planner pass: the live rollout's, or its safe deletion's once a delete was accepted.</summary>
    private Decision Decide(Observed observed, DateTimeOffset now)
    {
        if (!_state.State.Deleting) return RolloutPlanner.Decide(_spec!, _status, observed.Observation, now);
        var handBackDeadline = RolloutDefaults.GetDeletionHandBackDeadline(_spec!, _state.State.DeletionStartedAt ?? now);
        return RolloutDeletionPlanner.Decide(_spec!, _status, observed.Observation, now, handBackDeadline);
    }

    private void RecordFailure(ClusterCallException ex)
    {
        _clusterChanged = true;
        _readAfterFailure = true;
        _lastError = ex.Message;
        RolloutMetrics.RecordReconcileError(_key);
        _logger.LogWarning("Reconcile failed ({Failure}): {Error}", ex.Failure, ex.Message);
        // Conflicts mean someone else just wrote: look again at once. Other failures back off.
        ScheduleRetry(ex.Failure == ClusterCallFailure.Conflict ? TimeSpan.FromMilliseconds(50) : NextBackoff());
    }

    private void LogAction(RolloutAction action) => _logger.LogDebug("Applied {Action}", action);

    private async Task FinishDeletionAsync()
    {
        SendRecordedEvents();
        await _eventsInFlight;
        _logger.LogInformation("Rollout deleted; traffic is served by the Deployment again");
        _subscription?.Dispose();
        _subscription = null;
        await UnregisterWakeAsync();
        await GrainFactory.GetGrain<IFleetDirectoryGrain>(0).RolloutRemoved(_key);
        var version = _state.State.Version;
        await _state.ClearStateAsync();
        _state.State.Version = version + 1; // watchers see the deletion as one more change
        _spec = null;
        _status = new RolloutStatus();
        _lastObserved = null;
        Publish();
        DeactivateOnIdle();
    }

    private async Task PersistAsync()
    {
        // The spec changes only by a command (a new record each time): not serialized again for every status saved.
        if (!ReferenceEquals(_spec, _savedSpec) || (_state.State.SpecJson is null) != (_spec is null))
        {
            _state.State.SpecJson = _spec is null ? null : SharedTexts.Share(StateJson.Serialize(_spec));
            _savedSpec = _spec;
        }
        // Serialized by the write itself (and by any later write of the same state, such as the reminder's).
        _state.State.SaveStatus(_status);
        _state.State.Version++;
        // A deadline (a pause's end) moves its backing reminder along, without waiting for it (see EnsureReminder).
        if (_state.State.WakeAt is { } deadline) EnsureReminder(deadline);
        await _state.WriteStateAsync();
        // Watchers hear of a change only once it is durable and the Events that report it are in the cluster.
        await SendSavedEventsAsync();
        Publish();
    }
}
