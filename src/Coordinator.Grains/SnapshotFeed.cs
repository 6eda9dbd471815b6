namespace Coordinator.Grains;

/// <summary>
/// The change feed behind a grain's watch: the last snapshots published (bounded), and callers waiting for a newer
/// one. Only published snapshots go out: a change being saved is not news yet.
/// </summary>
/// <remarks>
/// A watcher asks again as soon as it has its answer (and at least every poll, 10 s), so it needs the last few
/// snapshots; one that fell further behind gets the ones still kept, the current state last. Kept while someone asked
/// in the last minute (or the activation is younger than that): the last 8, and up to 64 while they are less than a
/// minute old. Unasked for a minute, only the current state is kept: at 10,000 Rollouts that nobody watches, the
/// snapshots of their last update were ~15 KB a Rollout, 150 MiB of the silo after a fleet run (docs/benchmarks.md).
/// Keeping only 4 for watchers was measured and dropped: snapshots that die a few steps after they were made are
/// middle-aged garbage for the GC, which looked worse for the step-lag tail; those that die after a minute have reached
/// the oldest generation, as the ones kept for good do.
/// </remarks>
internal sealed class SnapshotFeed<T>(Func<T, long> versionOf) where T : class
{
    private const int Retained = 64;
    private const int AlwaysRetained = 8;
    private static readonly TimeSpan RetainedFor = TimeSpan.FromMinutes(1);

    private readonly LinkedList<(T Snapshot, DateTimeOffset PublishedAt)> _recent = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset? _lastAsked;

    /// <summary>What watchers were last told; null before anything was published in this activation.</summary>
    public T? Published { get; private set; }

    public void Publish(T snapshot, DateTimeOffset now)
    {
        Published = snapshot;
        _recent.AddLast((snapshot, now));
        var watched = now - (_lastAsked ??= now) <= RetainedFor;
        while (_recent.Count > Retained || (_recent.Count > AlwaysRetained && now - _recent.First!.Value.PublishedAt > RetainedFor)
               || (!watched && _recent.Count > 1))
            _recent.RemoveFirst();
        var changed = _changed;
        _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    /// <summary>
    /// Every snapshot newer than <paramref name="afterVersion"/>, waiting up to <paramref name="wait"/> for one. Nothing
    /// published yet (a new activation), or a caller ahead of us (it saw an activation that has since died, whose last
    /// versions were published but not persisted): it starts again from <paramref name="current"/>.
    /// </summary>
    public async Task<IReadOnlyList<T>> ChangesSince(long afterVersion, TimeSpan wait, Func<T> current, TimeProvider time)
    {
        _lastAsked = time.GetUtcNow();
        var changes = Newer(afterVersion);
        if (changes.Count > 0) return changes;
        var known = Published ?? current();
        if (versionOf(known) != afterVersion) return [known];

        await Task.WhenAny(_changed.Task, Task.Delay(wait, time));
        _lastAsked = time.GetUtcNow();
        return Newer(afterVersion);
    }

    /// <summary>What watchers were last told (the live view before anything was published); a look counts as asking, as a watch starts with one.</summary>
    public T Current(Func<T> current, DateTimeOffset now)
    {
        _lastAsked = now;
        return Published ?? current();
    }

    /// <summary>
    /// The version an activation continues from. A predecessor that died may have published versions past the last one
    /// it saved (changes only observed are published, not saved); numbered on from the saved one, this activation could
    /// reach such a number with another state, and a watcher holding it would be told "no change" about that state for
    /// good. Versions count changes within an activation and jump to the clock's milliseconds at each activation: a
    /// predecessor that started earlier made far fewer changes than milliseconds have passed since.
    /// </summary>
    public static long FirstVersionOfActivation(long saved, DateTimeOffset now) => Math.Max(saved, now.ToUnixTimeMilliseconds());

    private List<T> Newer(long afterVersion) => _recent.Where(s => versionOf(s.Snapshot) > afterVersion).Select(s => s.Snapshot).ToList();
}
