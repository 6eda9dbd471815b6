namespace Coordinator.Grains;

/// <summary>
/// The change feed behind a grain's watch: the last snapshots published (bounded), and callers waiting for a newer
/// one. Only published snapshots go out: a change being saved is not news yet.
/// </summary>
/// <remarks>
/// A watcher asks again as soon as it has its answer, so it needs the last few snapshots; one that fell further behind
/// gets the ones still kept, the current state last. Kept: the last 8, and up to 64 while they are less than a minute
/// old. The 64 used to stay until pushed out by newer ones, ~800 bytes each, the largest part of an idle Rollout's
/// memory (about half a gigabyte for 10,000 Rollouts after a few updates each). Keeping only 4 was measured and dropped
/// (docs/benchmarks.md): snapshots that die a few steps after they were made are middle-aged garbage for the GC, which
/// looked worse for the step-lag tail; those that die after a minute have reached the oldest generation, as the ones
/// kept for good do.
/// </remarks>
internal sealed class SnapshotFeed<T>(Func<T, long> versionOf) where T : class
{
    private const int Retained = 64;
    private const int AlwaysRetained = 8;
    private static readonly TimeSpan RetainedFor = TimeSpan.FromMinutes(1);

    private readonly LinkedList<(T Snapshot, DateTimeOffset PublishedAt)> _recent = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>What watchers were last told; null before anything was published in this activation.</summary>
    public T? Published { get; private set; }

    public void Publish(T snapshot, DateTimeOffset now)
    {
        Published = snapshot;
        _recent.AddLast((snapshot, now));
        while (_recent.Count > Retained || (_recent.Count > AlwaysRetained && now - _recent.First!.Value.PublishedAt > RetainedFor))
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
        var changes = Newer(afterVersion);
        if (changes.Count > 0) return changes;
        var known = Published ?? current();
        if (versionOf(known) != afterVersion) return [known];

        await Task.WhenAny(_changed.Task, Task.Delay(wait, time));
        return Newer(afterVersion);
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
