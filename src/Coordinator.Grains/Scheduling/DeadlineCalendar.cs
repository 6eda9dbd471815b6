namespace Coordinator.Grains.Scheduling;

/// <summary>
/// When this silo's Rollouts have their next deadlines (a pause's end, a scale-down delay), as their timers were armed:
/// what <see cref="CollectionBeforeDeadlines"/> reads to collect garbage before a deadline rather than during it.
/// Pauses end on whole seconds (as Argo's, whose times have a precision of a second), so the Rollouts updated within
/// the same second wake together; the calendar keeps one entry per instant, not one per Rollout.
/// </summary>
public sealed class DeadlineCalendar
{
    private readonly SortedSet<DateTimeOffset> _instants = [];
    private readonly Lock _gate = new();

    public void Add(DateTimeOffset deadline)
    {
        lock (_gate) _instants.Add(deadline);
    }

    /// <summary>
    /// The earliest deadline after <paramref name="now"/>, forgetting the ones already past (a Rollout deleted or moved
    /// since its timer was armed leaves an instant that only costs a look).
    /// </summary>
    public DateTimeOffset? Next(DateTimeOffset now)
    {
        lock (_gate)
        {
            while (_instants.Count > 0 && _instants.Min <= now) _instants.Remove(_instants.Min);
            return _instants.Count > 0 ? _instants.Min : null;
        }
    }
}
