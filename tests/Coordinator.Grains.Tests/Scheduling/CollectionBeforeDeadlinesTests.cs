using Coordinator.Grains.Scheduling;

namespace Coordinator.Grains.Tests.Scheduling;

/// <summary>
/// The silo collects garbage shortly before the instants its Rollouts wake at, so that a collection does not hold up
/// a whole second's steps: the calendar of those instants, and when the collection is due.
/// </summary>
public sealed class CollectionBeforeDeadlinesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 13, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_calendar_gives_the_earliest_deadline_still_ahead_once_for_all_Rollouts_waking_at_that_instant()
    {
        var calendar = new DeadlineCalendar();
        calendar.Add(Now.AddSeconds(3));
        calendar.Add(Now.AddSeconds(1));
        calendar.Add(Now.AddSeconds(1)); // a second Rollout whose pause ends at the same instant
        calendar.Add(Now.AddSeconds(-2)); // already past (its Rollout woke, or was deleted): forgotten

        Assert.Equal(Now.AddSeconds(1), calendar.Next(Now));
        // Handled: looking from that instant on forgets it, and both Rollouts with it.
        Assert.Equal(Now.AddSeconds(3), calendar.Next(Now.AddSeconds(1)));
        Assert.Null(calendar.Next(Now.AddSeconds(3)));
    }

    [Fact]
    public void The_collection_is_due_the_lead_before_a_deadline_and_not_earlier()
    {
        var deadline = Now.AddSeconds(1);

        Assert.Equal(TimeSpan.Zero, CollectionBeforeDeadlines.WaitBeforeCollecting(deadline, deadline - CollectionBeforeDeadlines.Lead));
        Assert.Equal(TimeSpan.Zero, CollectionBeforeDeadlines.WaitBeforeCollecting(deadline, deadline - TimeSpan.FromMilliseconds(10)));
        Assert.Equal(TimeSpan.FromMilliseconds(50),
            CollectionBeforeDeadlines.WaitBeforeCollecting(deadline, deadline - CollectionBeforeDeadlines.Lead - TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public void A_far_or_missing_deadline_is_looked_at_again_after_the_recheck_interval()
    {
        Assert.Equal(CollectionBeforeDeadlines.Recheck, CollectionBeforeDeadlines.WaitBeforeCollecting(Now.AddSeconds(30), Now));
        Assert.Equal(CollectionBeforeDeadlines.Recheck, CollectionBeforeDeadlines.WaitBeforeCollecting(null, Now));
    }
}
