namespace Coordinator.Grains.Rollouts;

/// <summary>How often rollouts look at their cluster when nothing wakes them.</summary>
public sealed class RolloutTimingOptions
{
    /// <summary>Period of each rollout's reminder. Orleans refuses less than its MinimumReminderPeriod (1 min by default).</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long after a deadline the backing reminder fires; the timer normally wins.</summary>
    public TimeSpan ReminderGrace { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>A full look at an idle rollout, as Argo's 15-minute resync (watches cover changes in between).</summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromMinutes(15);
}
