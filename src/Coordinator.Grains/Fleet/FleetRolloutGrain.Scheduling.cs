using System.Diagnostics;
using Coordinator.Grains.Rollouts;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

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

    /// <summary>The longest a notification waits for the next pass because the previous one was long.</summary>
    private static readonly TimeSpan MaxPassSpacing = TimeSpan.FromMilliseconds(500);

    /// <summary>A pass that failed on storage or a grain call (not on a cluster: those are outcomes) is tried again after this.</summary>
    private static readonly TimeSpan PassRetry = TimeSpan.FromSeconds(1);

    /// <summary>A pass longer than this is logged: the fleet's decisions are slowing down.</summary>
    private static readonly TimeSpan SlowPass = TimeSpan.FromSeconds(1);

    /// <summary>Stopwatch timestamp before which a notification does not start a pass (see <see cref="RequestDrive"/>).</summary>
    private long _quietUntil;

    /// <summary>
    /// Coalesces wake-ups: a burst of cluster notifications costs one decision. A pass over a large fleet is not free (it
    /// judges, saves and publishes every cluster: a few hundred ms at 10,000), and notifications arrive all the time while
    /// hundreds of clusters progress; so after a pass the next one waits as long as it took (at most
    /// <see cref="MaxPassSpacing"/>), and the fleet's activation leaves at least half of its time to the Rollouts it waits on.
    /// Real time, not the grain's clock: timers run on real time, and a test's fake clock does not measure work.
    /// </summary>
    private void RequestDrive() => ArmTimer(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), _quietUntil));

    /// <summary>Called at the end of a pass that began at <paramref name="startedAt"/> (a Stopwatch timestamp).</summary>
    private void SpaceNextPass(long startedAt)
    {
        var took = Stopwatch.GetElapsedTime(startedAt);
        if (took > SlowPass) _logger.LogInformation("A pass over {Clusters} clusters took {Milliseconds:0} ms", _run?.Clusters.Count ?? 0, took.TotalMilliseconds);
        if (took > MaxPassSpacing) took = MaxPassSpacing;
        _quietUntil = Stopwatch.GetTimestamp() + (long)(took.TotalSeconds * Stopwatch.Frequency);
    }

    private void ArmTimer(TimeSpan due)
    {
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        if (_timer is null)
            _timer = this.RegisterGrainTimer(_ => TimedDriveAsync(), new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = false });
        else
            _timer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private async Task TimedDriveAsync()
    {
        try
        {
            await DriveAsync();
        }
        catch (InconsistentStateException)
        {
            // Another activation saved this fleet after this one read it (as with a Rollout, see RolloutGrain): this
            // view is stale. It leaves; its call to itself reaches a fresh activation, which reads the saved run.
            _logger.LogWarning("Another activation saved this fleet meanwhile; reloading it in a new activation");
            DeactivateOnIdle();
            this.AsReference<IFleetRunGrain>().Wake().Ignore();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Storage, the reminder service or the budget grain failed (as they can while silos take over a dead one's
            // share): the timer is one-shot, so look again shortly instead of waiting for the reminder's next tick.
            _logger.LogWarning("Fleet pass failed ({Exception}: {Error}); again in {Delay} ms", ex.GetType().Name, ex.Message, PassRetry.TotalMilliseconds);
            ArmTimer(PassRetry);
        }
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
