using Coordinator.Grains.Rollouts;
using Microsoft.Extensions.Logging;

namespace Coordinator.Grains.Fleet;

/// <summary>
/// How a FleetRollout wakes up, as a Rollout does: deadlines (bake end, cluster timeout, write retry) live in persisted
/// state; a grain timer fires at the exact instant and one durable reminder backs it (a silo crash loses the timer,
/// never the deadline). Notifications from the clusters and the budget request an immediate look.
/// </summary>
public sealed partial class FleetRolloutGrain
{
    private const string WakeReminder = "fleet-wake";

    private IGrainTimer? _timer;
    private DateTimeOffset? _reminderDueAt;
    private bool _reminderCleared;

    private RolloutTimingOptions Timing => _timing.Value;

    /// <summary>Coalesces wake-ups: a burst of cluster notifications costs one decision.</summary>
    private void RequestDrive() => ArmTimer(TimeSpan.Zero);

    private void ArmTimer(TimeSpan due)
    {
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        if (_timer is null)
            _timer = this.RegisterGrainTimer(_ => DriveAsync(), new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = false });
        else
            _timer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private async Task ScheduleWakeAsync(DateTimeOffset? wakeAt)
    {
        if (wakeAt is { } at) ArmTimer(at - _time.GetUtcNow());
        // The reminder first: a deadline is never durable without its backing reminder (see DriveAsync).
        if (_run is { Finished: true }) await UnregisterWakeAsync();
        else await EnsureReminderAsync(wakeAt ?? _time.GetUtcNow() + Timing.ReminderPeriod);
        if (_state.State.WakeAt != wakeAt)
        {
            _state.State.WakeAt = wakeAt;
            await _state.WriteStateAsync();
            Publish(); // watchers see the next wake-up as soon as it is known
        }
    }

    /// <summary>One reminder per fleet, due at the next deadline, re-registered only when that moves earlier or it is missing.</summary>
    private async Task EnsureReminderAsync(DateTimeOffset dueAt)
    {
        var now = _time.GetUtcNow();
        if (_reminderDueAt is { } current && current <= dueAt && current > now) return;
        var due = dueAt - now;
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        await this.RegisterOrUpdateReminder(WakeReminder, due + Timing.ReminderGrace, Timing.ReminderPeriod);
        (_reminderDueAt, _reminderCleared) = (dueAt, false);
    }

    private async Task UnregisterWakeAsync()
    {
        _timer?.Dispose();
        _timer = null;
        if (_reminderCleared) return;
        if (await this.GetReminder(WakeReminder) is { } reminder) await this.UnregisterReminder(reminder);
        (_reminderDueAt, _reminderCleared) = (null, true);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (_run is null || _run.Finished && _state.State.QueuedSpecJson is null)
        {
            // A fleet with nothing left to do must not keep a reminder alive.
            await UnregisterWakeAsync();
            return;
        }
        _reminderDueAt = _time.GetUtcNow() + Timing.ReminderPeriod;
        _logger.LogDebug("Reminder woke the fleet");
        _refreshProgress = true;
        await DriveAsync();
    }
}
