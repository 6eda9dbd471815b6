namespace Coordinator.Grains.Rollouts;

/// <summary>How often rollouts look at their cluster when nothing wakes them.</summary>
public sealed class RolloutTimingOptions
{
    /// <summary>Period of each rollout's reminder. Orleans refuses less than its MinimumReminderPeriod (1 min by default).</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long after a deadline the backing reminder fires; the timer normally wins.</summary>
    public TimeSpan ReminderGrace { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// A deadline sooner than this (a short pause, a scale-down delay) does not move the reminder when the reminder ticks
    /// within a period after it anyway: the timer holds the deadline, a silo's failure brings its Rollouts back at once
    /// (SiloFailureWaker), and that tick is the last resort. Moving it would cost a storage write per step, most of a
    /// failover's storage traffic.
    /// </summary>
    public TimeSpan ReminderMinimumLead { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A full look at an idle rollout, as Argo's 15-minute resync (watches cover changes in between).</summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromMinutes(15);
}
