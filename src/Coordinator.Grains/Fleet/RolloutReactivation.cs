using Coordinator.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Coordinator.Grains.Fleet;

/// <summary>
/// Brings the Rollouts of a dead silo back on the survivors, without a stampede: the one whose deadline falls due first
/// comes back first, a bounded number at a time, each shortly before its deadline rather than all at once, and a
/// Rollout that stayed active on a survivor is not touched. Orleans does not replay a reminder tick missed during an
/// outage (it would wait a whole period), and activating hundreds of Rollouts at once (each reads its state and
/// reconciles) starves every Rollout of the survivor, also those that had nothing to do with the failure.
/// </summary>
internal sealed class RolloutReactivation(IGrainFactory grains, IServiceProvider services, TimeProvider time, ILogger<RolloutReactivation> logger)
{
    /// <summary>Activations in flight at once: enough to keep storage busy, few enough to leave the survivor's own Rollouts their turn.</summary>
    public const int Concurrency = 16;

    /// <summary>
    /// How long before its deadline a Rollout is brought back: time for its activation (a state read, a first look at
    /// its cluster) on a survivor that is busy taking over, so that it is active and its timer armed when the deadline comes.
    /// </summary>
    public static readonly TimeSpan Lead = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Deadlines further away than this are not waited for: those Rollouts come last in the order, after every nearer
    /// one has started, which is still well before their deadlines. It bounds how long one reactivation runs.
    /// </summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromSeconds(30);

    private const string RolloutWakeReminder = "wake";
    private const int Attempts = 10;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    public async Task RunAsync(CancellationToken cancellation)
    {
        var directory = grains.GetGrain<IFleetDirectoryGrain>(0);
        var keys = await directory.ListRollouts();
        var dueAt = await ReminderDueTimesAsync(cancellation);
        // Fleets first: a bake or a cluster timeout may have ended during the outage (a handful of grains, one look each).
        foreach (var fleet in await directory.ListFleets()) grains.GetGrain<IFleetRunGrain>(fleet).Wake().Ignore();
        var ordered = keys.Select(k => (Key: k, Due: dueAt.GetValueOrDefault(k.ToString(), DateTime.MaxValue))).OrderBy(r => r.Due).ToList();
        var started = time.GetTimestamp();
        await Parallel.ForEachAsync(ordered, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellation },
            async (rollout, token) =>
            {
                // In deadline order, a Rollout waiting for its time holds its slot only until the earliest of the rest is due too.
                var wait = WaitBeforeActivating(rollout.Due, time.GetUtcNow().UtcDateTime);
                if (wait > TimeSpan.Zero) await Task.Delay(wait, time, token);
                await EnsureActiveAsync(rollout.Key);
            });
        logger.LogInformation("{Count} rollouts active again after a silo failure ({Seconds:0.00} s, earliest deadline first)",
            ordered.Count, time.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>
    /// How long to wait before bringing back a Rollout due at <paramref name="dueAt"/>: until <see cref="Lead"/> before
    /// its deadline; not at all for one due sooner (or overdue), or due beyond the <see cref="Horizon"/>, or with no
    /// known deadline.
    /// </summary>
    internal static TimeSpan WaitBeforeActivating(DateTime dueAt, DateTime now)
    {
        if (dueAt == DateTime.MaxValue) return TimeSpan.Zero;
        var wait = dueAt - now - Lead;
        return wait > TimeSpan.Zero && wait <= Horizon ? wait : TimeSpan.Zero;
    }

    /// <summary>Activates one Rollout; one that cannot be reached now is left to its reminder, and the others go on.</summary>
    internal async Task EnsureActiveAsync(RolloutKey key)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await grains.GetGrain<IRolloutGrain>(key.ToString()).EnsureActive();
                return;
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException)
            {
                if (attempt >= Attempts)
                {
                    logger.LogWarning("Rollout {Rollout} could not be brought back ({Error}); its reminder will", key, ex.GetType().Name);
                    return;
                }
                // The grain's old place is still being cleaned up after the failure.
                await Task.Delay(RetryDelay * attempt);
            }
        }
    }

    /// <summary>
    /// When each Rollout's wake reminder next ticks, by grain key (its deadline: a pause's end, backed by the reminder).
    /// Empty when the reminder table cannot be read: the Rollouts then come back in the directory's order.
    /// </summary>
    private async Task<Dictionary<string, DateTime>> ReminderDueTimesAsync(CancellationToken cancellation)
    {
        var due = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        if (services.GetService<IReminderTable>() is not { } table) return due;
        try
        {
            // (0, 0] wraps around the whole ring: every reminder of the service.
            var rows = await table.ReadRows(0, 0, cancellation);
            var now = time.GetUtcNow().UtcDateTime;
            foreach (var row in rows.Reminders.Where(r => r.ReminderName == RolloutWakeReminder))
                due[row.GrainId.Key.ToString()!] = DueAt(row.StartAt, row.Period, now);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Could not read the reminder table to order the reactivation: {Error}", ex.GetType().Name);
        }
        return due;
    }

    /// <summary>
    /// The deadline a reminder stands for. A reminder is registered due at its Rollout's next deadline, so a first tick
    /// less than a period ago is a deadline that fell due during the outage: the earliest of those come back first.
    /// A reminder older than that only ticks periodically (nothing was due): it counts from its next tick.
    /// </summary>
    private static DateTime DueAt(DateTime startAt, TimeSpan period, DateTime now)
    {
        if (startAt >= now - period || period <= TimeSpan.Zero) return startAt;
        var ticks = (long)Math.Ceiling((now - startAt) / period);
        return startAt + ticks * period;
    }
}
