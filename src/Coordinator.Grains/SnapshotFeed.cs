namespace Coordinator.Grains;

/// <summary>
/// The change feed behind a grain's watch: the last snapshots published (bounded), and callers waiting for a newer
/// one. Only published snapshots go out: a change being saved is not news yet.
/// </summary>
/// <remarks>
/// History is kept for watchers. While nobody has watched for <see cref="WatcherWindow"/>, only the last few snapshots
/// are kept (enough for a caller that read the grain and is about to watch it): with 10,000 Rollouts on a silo, 64
/// snapshots each that nobody asks for were the largest part of its memory.
/// </remarks>
internal sealed class SnapshotFeed<T>(Func<T, long> versionOf, TimeProvider time) where T : class
{
    private const int RetainedWhileWatched = 64;
    private const int RetainedUnwatched = 4;
    internal static readonly TimeSpan WatcherWindow = TimeSpan.FromMinutes(2);

    private readonly LinkedList<T> _recent = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset _watchedUntil = DateTimeOffset.MinValue;

    /// <summary>What watchers were last told; null before anything was published in this activation.</summary>
    public T? Published { get; private set; }

    public void Publish(T snapshot)
    {
        Published = snapshot;
        _recent.AddLast(snapshot);
        var retained = time.GetUtcNow() < _watchedUntil ? RetainedWhileWatched : RetainedUnwatched;
        while (_recent.Count > retained) _recent.RemoveFirst();
        var changed = _changed;
        _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    /// <summary>
    /// Every snapshot newer than <paramref name="afterVersion"/>, waiting up to <paramref name="wait"/> for one. Nothing
    /// published yet (a new activation), or a caller ahead of us (it saw an activation that has since died, whose last
    /// versions were published but not persisted): it starts again from <paramref name="current"/>.
    /// </summary>
    public async Task<IReadOnlyList<T>> ChangesSince(long afterVersion, TimeSpan wait, Func<T> current)
    {
        _watchedUntil = time.GetUtcNow() + wait + WatcherWindow;
        var changes = Newer(afterVersion);
        if (changes.Count > 0) return changes;
        var known = Published ?? current();
        if (versionOf(known) != afterVersion) return [known];

        await Task.WhenAny(_changed.Task, Task.Delay(wait, time));
        return Newer(afterVersion);
    }

    private List<T> Newer(long afterVersion) => _recent.Where(s => versionOf(s) > afterVersion).ToList();
}
