using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Coordinator.Grains.Rollouts;

/// <summary>
/// How a Rollout wakes up. Deadlines live in persisted state; a grain timer fires at the exact
/// instant (precision), and one durable reminder per rollout backs it (a silo crash or deactivation
/// loses the timer, never the deadline). Cluster watches request an immediate look.
/// </summary>
public sealed partial class RolloutGrain
{
    private const string WakeReminder = "wake";
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private IGrainTimer? _timer;
    private IDisposable? _subscription;
    private DateTimeOffset? _reminderDueAt;
    private DateTimeOffset? _reminderDueWanted;
    private Task _reminderWrite = Task.CompletedTask;
    private TimeSpan _backoff = TimeSpan.Zero;
    private DateTimeOffset _lastReconcile;
    private int _watchWakeQueued;

    private RolloutTimingOptions Timing => _timing.Value;

    /// <summary>The silo's calendar of deadlines (a collection runs before them, not during them); absent in bare hosts.</summary>
    private Scheduling.DeadlineCalendar? Deadlines => _deadlines ??= ServiceProvider.GetService<Scheduling.DeadlineCalendar>();
    private Scheduling.DeadlineCalendar? _deadlines;

    /// <summary>Coalesces wake-ups: many watch events in a burst cost one reconcile.</summary>
    private void RequestReconcile() => ArmTimer(TimeSpan.Zero);

    private void ArmTimer(TimeSpan due)
    {
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        if (_timer is null)
            _timer = this.RegisterGrainTimer(OnTimerAsync, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = false });
        else
            _timer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private async Task OnTimerAsync(CancellationToken cancellationToken)
    {
        // A wake-up that never arrived must not silence the watch for good: any look covers it.
        WatchWakeHandled();
        if (!Exists) return;
        _lastReconcile = _time.GetUtcNow();
        await ReconcileGuardedAsync(() => ReconcileAsync(trustLastObservation: true));
    }

    /// <summary>
    /// A reconcile started by the timer or the reminder. A failure that is not a cluster's answer (the pass handles
    /// those) comes from grain storage or the reminder service, as it can while the silos take over a dead one's share;
    /// the timer is one-shot and was not re-armed by the failed pass, so it is tried again with backoff, as a
    /// controller requeues any failed reconcile.
    /// </summary>
    private async Task ReconcileGuardedAsync(Func<Task> reconcile)
    {
        try
        {
            await reconcile();
        }
        catch (InconsistentStateException)
        {
            // Another activation of this Rollout saved after this one read its state (two can briefly coexist while
            // the silos take over a dead one's grains): this one's view is stale and every save it tries would fail.
            // It leaves; the call to itself is delivered to a fresh activation, which reads the saved state and goes on.
            _logger.LogWarning("Another activation saved this Rollout meanwhile; reloading it in a new activation");
            DeactivateOnIdle();
            this.AsReference<Abstractions.IRolloutGrain>().EnsureActive().Ignore();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _clusterChanged = true;
            _readAfterFailure = true;
            var retry = NextBackoff();
            _logger.LogWarning("Reconcile failed ({Exception}: {Error}); again in {Delay} ms", ex.GetType().Name, ex.Message, retry.TotalMilliseconds);
            ArmTimer(retry);
        }
    }

    /// <summary>Arms the timer for <paramref name="wakeAt"/> and moves the reminder there when it changed.</summary>
    private async Task ScheduleWakeAsync(DateTimeOffset? wakeAt)
    {
        _backoff = TimeSpan.Zero;
        var now = _time.GetUtcNow();
        if (wakeAt is { } at)
        {
            ArmTimer(at - now);
            Deadlines?.Add(at);
        }
        var reminderBefore = _state.State.ReminderDueAt;
        EnsureReminder(wakeAt ?? now + Timing.ResyncPeriod);
        if (_state.State.WakeAt != wakeAt)
        {
            _state.State.WakeAt = wakeAt;
            await _state.WriteStateAsync();
            Publish(); // watchers see the next wake-up (NextWakeAt) as soon as it is known
        }
        else if (_state.State.ReminderDueAt != reminderBefore)
        {
            // The reminder moved (a resync after the Rollout turned Healthy): saved with it, so that the next activation
            // does not register it again.
            await _state.WriteStateAsync();
        }
    }

    private void ScheduleRetry(TimeSpan delay)
    {
        ArmTimer(delay);
        EnsureReminder(_time.GetUtcNow() + delay + Timing.ReminderPeriod);
    }

    private TimeSpan NextBackoff()
    {
        _backoff = _backoff == TimeSpan.Zero ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, MaxBackoff.Ticks));
        return _backoff;
    }

    /// <summary>
    /// One reminder per rollout, due at the next deadline and then periodic. Re-registered only when a deadline comes
    /// before its next tick or the reminder is missing: a reminder write is a storage write. Not awaited by the reconcile: the
    /// registration goes to the reminder service that owns the grain's range of the ring, which may be a silo that just
    /// died or hangs, and it would wait for that silo to be declared dead, holding up every step of this Rollout. A
    /// deadline saved before its reminder moved is still met: a silo's failure brings its Rollouts back
    /// (<see cref="Fleet.SiloFailureWaker"/>), and the reminder keeps its old schedule meanwhile (one period at most).
    /// </summary>
    private void EnsureReminder(DateTimeOffset dueAt)
    {
        if (ReminderCovers(dueAt)) return;
        // A close deadline is the timer's when the reminder ticks within a period after it anyway: a last resort at most
        // a period late, not worth a storage write per step (RolloutTimingOptions.ReminderMinimumLead).
        if (dueAt - _time.GetUtcNow() < Timing.ReminderMinimumLead && ReminderCovers(dueAt + Timing.ReminderPeriod)) return;
        if (_reminderDueWanted is not { } wanted || dueAt < wanted) _reminderDueWanted = dueAt;
        if (_reminderWrite.IsCompleted) _reminderWrite = RegisterWantedReminderAsync();
    }

    private bool ReminderCovers(DateTimeOffset dueAt) => NextReminderTick() is { } next && next <= dueAt;

    /// <summary>
    /// When the reminder ticks next: its first due time, then every period after it. A Rollout that turned Healthy
    /// after its last deadline needs no new registration for its resync: the periodic tick comes sooner anyway.
    /// </summary>
    private DateTimeOffset? NextReminderTick()
    {
        if (_reminderDueAt is not { } first) return null;
        var now = _time.GetUtcNow();
        if (first > now) return first;
        var period = Timing.ReminderPeriod;
        if (period <= TimeSpan.Zero) return null;
        return first + ((now - first).Ticks / period.Ticks + 1) * period;
    }

    /// <summary>Registers the wanted due time, and any earlier one asked for meanwhile; a failure is retried by the next ask.</summary>
    private async Task RegisterWantedReminderAsync()
    {
        while (_reminderDueWanted is { } dueAt)
        {
            _reminderDueWanted = null;
            if (ReminderCovers(dueAt)) continue;
            var due = dueAt - _time.GetUtcNow();
            if (due < TimeSpan.Zero) due = TimeSpan.Zero;
            // Saved with the next status (the first registration of a burst runs before the save that asked for it), so
            // that a new activation knows the reminder without registering it again. A crash before the registration
            // lands leaves the old reminder, at most a period late for this deadline; a silo's failure brings its
            // Rollouts back anyway (Fleet.SiloFailureWaker).
            _state.State.ReminderDueAt = dueAt;
            try
            {
                // Fire a little after the deadline: if the timer did its job, the reminder finds nothing to do.
                await this.RegisterOrUpdateReminder(WakeReminder, due + Timing.ReminderGrace, Timing.ReminderPeriod);
                _reminderDueAt = dueAt;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _state.State.ReminderDueAt = _reminderDueAt;
                _logger.LogWarning("Could not move the wake reminder ({Exception}: {Error}); the timer still holds the deadline", ex.GetType().Name, ex.Message);
                return;
            }
        }
    }

    private async Task UnregisterWakeAsync()
    {
        _timer?.Dispose();
        _timer = null;
        _reminderDueWanted = null;
        await _reminderWrite;
        if (await this.GetReminder(WakeReminder) is { } reminder) await this.UnregisterReminder(reminder);
        _reminderDueAt = null;
        _state.State.ReminderDueAt = null;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!Exists)
        {
            // A rollout that no longer exists must not keep a reminder alive.
            if (await this.GetReminder(reminderName) is { } stale) await this.UnregisterReminder(stale);
            return;
        }
        var now = _time.GetUtcNow();
        // It fired, so its next tick is one period away: a later deadline needs no new registration (a reminder
        // registration is a storage write; re-registering on every tick would cost one per idle rollout per period).
        _reminderDueAt = now + Timing.ReminderPeriod;
        var due = _state.State.WakeAt is { } wakeAt && wakeAt <= now;
        var resync = now - _lastReconcile >= Timing.ResyncPeriod;
        if (due || _lastError is not null || resync || _state.State.Deleting)
        {
            _logger.LogDebug("Reminder woke the rollout (deadline due: {Due})", due);
            _lastReconcile = now;
            // The periodic resync does not take the watch's word for it: it reads the API server.
            await ReconcileGuardedAsync(() => ReconcileAsync(firstLook: resync ? Domain.Ports.ObservationSource.ApiServer : Domain.Ports.ObservationSource.Cache));
        }
        else
        {
            EnsureReminder(_state.State.WakeAt ?? now + Timing.ResyncPeriod);
        }
    }

    private void Subscribe()
    {
        if (_subscription is not null || _spec?.WorkloadRef?.Name is not { } deployment) return;
        var self = this.AsReference<Abstractions.IRolloutGrain>();
        _subscription = _changes.Subscribe(_key.Cluster, _key.Namespace, _key.Name, deployment, () =>
        {
            // Called on the watch's thread for every change that concerns this Rollout (a dozen or more per step). One
            // wake-up waiting in the activation's queue covers every change made before it runs, so further ones are
            // not sent: each would be one more message queued behind a running reconcile.
            if (Interlocked.Exchange(ref _watchWakeQueued, 1) == 0) self.Wake();
        });
    }

    /// <summary>The watch's wake-up was handled (or may have been lost with a failed reconcile): the next change sends one.</summary>
    private void WatchWakeHandled() => Volatile.Write(ref _watchWakeQueued, 0);
}
