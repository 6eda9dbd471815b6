namespace Coordinator.Kubernetes.Watching;

/// <summary>
/// The hung-watch deadlines of every watch of a process, shared by the watches whose deadlines fall in the same
/// 10-second window: a token that is cancelled at the end of that window, or when the process stops. A source linked to
/// the stopping token and a timer per watch, for as long as it runs, were ~300 bytes per watch (~14 MiB at 10,000
/// clusters of 5 watches); a deadline up to 10 s later does not matter to one that is a grace period after the
/// server's own end of the watch.
/// </summary>
internal sealed class WatchDeadlines(CancellationToken stopping, TimeProvider time)
{
    private static readonly long WindowTicks = TimeSpan.FromSeconds(10).Ticks;

    private readonly Lock _gate = new();
    private readonly Dictionary<long, CancellationTokenSource> _windows = [];

    /// <summary>Cancelled at most one window after <paramref name="delay"/> from now, or when the process stops.</summary>
    public CancellationToken After(TimeSpan delay)
    {
        var now = time.GetUtcNow();
        var window = (now + delay).UtcTicks / WindowTicks + 1; // the end of the window the deadline falls in
        lock (_gate)
        {
            if (_windows.TryGetValue(window, out var shared)) return shared.Token;
            if (stopping.IsCancellationRequested) return stopping;
            var source = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            _windows.Add(window, source);
            var due = new DateTimeOffset(window * WindowTicks, TimeSpan.Zero) - now;
            _ = Task.Delay(due, time).ContinueWith(_ => Expire(window), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return source.Token;
        }
    }

    private void Expire(long window)
    {
        CancellationTokenSource? source;
        lock (_gate)
        {
            if (!_windows.Remove(window, out source)) return;
        }
        source.Cancel(); // the watches of this window end their reads
        source.Dispose(); // and its registration on the stopping token goes
    }
}
