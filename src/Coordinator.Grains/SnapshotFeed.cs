namespace Coordinator.Grains;

/// <summary>
/// The change feed behind a grain's watch: the last snapshots published (bounded), and callers waiting for a newer
/// one. Only published snapshots go out: a change being saved is not news yet.
/// </summary>
/// <remarks>
/// 64 snapshots are the largest single part of a Rollout's memory. Two ways of cutting them were measured and dropped
/// (docs/benchmarks.md): keeping 4 while nobody watches (heap -25 %) and sharing unchanged parts between snapshots
/// (live -13 %). Both looked worse for the step-lag tail in alternating runs, likely because snapshots that die a few
/// steps after they were made are middle-aged garbage for the GC; the runs are noisy, so this is a lead, not a proof.
/// </remarks>
internal sealed class SnapshotFeed<T>(Func<T, long> versionOf) where T : class
{
    private const int Retained = 64;

    private readonly LinkedList<T> _recent = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>What watchers were last told; null before anything was published in this activation.</summary>
    public T? Published { get; private set; }

    public void Publish(T snapshot)
    {
        Published = snapshot;
        _recent.AddLast(snapshot);
        while (_recent.Count > Retained) _recent.RemoveFirst();
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

    private List<T> Newer(long afterVersion) => _recent.Where(s => versionOf(s) > afterVersion).ToList();
}
