using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Coordinator.Grains.Scheduling;

/// <summary>
/// Lets the garbage collector run just before the instants at which Rollouts wake, instead of in the middle of them.
/// Pauses end on whole seconds, so every Rollout updated in the same second takes its next step at the same instant,
/// and that burst allocates more than anything else on the silo: a young collection, triggered by whichever allocation
/// exhausts the generation's budget, landed in a burst more often than not and held up every step of it by its pause
/// (a whole second's steps ~100-140 ms late with a second process on the machine; docs/benchmarks.md, fifth session
/// of 2026-12-02). Shortly before each deadline this asks for a <see cref="GCCollectionMode.Optimized"/> gen-0
/// collection, which the runtime performs only when less than 30 % of the budget is left (it would have come during
/// the burst) and skips otherwise; so it at most brings a collection forward, never adds one that frees little.
/// With no deadline ahead it does nothing.
/// </summary>
public sealed class CollectionBeforeDeadlines(DeadlineCalendar calendar, TimeProvider time, ILogger<CollectionBeforeDeadlines> logger) : BackgroundService
{
    /// <summary>How long before a deadline: a young collection's pause, with a neighbour on the machine, is up to ~100 ms.</summary>
    internal static readonly TimeSpan Lead = TimeSpan.FromMilliseconds(150);

    /// <summary>How often the calendar is looked at again while the next deadline is far (a new one may come sooner).</summary>
    internal static readonly TimeSpan Recheck = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A look at the calendar at least every Recheck, not a wake-up armed per deadline: it changes with every step.
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = calendar.Next(now);
            var wait = WaitBeforeCollecting(next, now);
            if (wait > TimeSpan.Zero)
            {
                try { await Task.Delay(wait, time, stoppingToken); }
                catch (OperationCanceledException) { return; }
                continue;
            }
            var young = GC.CollectionCount(0);
            GC.Collect(0, GCCollectionMode.Optimized, blocking: true);
            if (GC.CollectionCount(0) != young) logger.LogDebug("Collected before the deadline at {Deadline:HH:mm:ss.fff}", next);
            calendar.Next(next!.Value); // this instant is handled
        }
    }

    /// <summary>
    /// How long to wait before looking again: until <see cref="Lead"/> before the <paramref name="next"/> deadline,
    /// at most <see cref="Recheck"/> (one armed meanwhile may come sooner); zero when the collection is due now.
    /// </summary>
    internal static TimeSpan WaitBeforeCollecting(DateTimeOffset? next, DateTimeOffset now)
    {
        if (next is not { } deadline) return Recheck;
        var wait = deadline - Lead - now;
        return wait <= TimeSpan.Zero ? TimeSpan.Zero : wait < Recheck ? wait : Recheck;
    }
}
