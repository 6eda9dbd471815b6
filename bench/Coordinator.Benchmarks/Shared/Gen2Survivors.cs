namespace Coordinator.Benchmarks;

/// <summary>
/// The most a full collection found alive during a phase (its promoted bytes): what the heap must hold at the phase's
/// busiest, which a heap limit (a container's memory limit) has to leave room for. Sampled every 200 ms, so a full
/// collection followed by another before the next sample is missed; full collections are far apart.
/// </summary>
internal sealed class Gen2Survivors : IAsyncDisposable
{
    // Not disposed (it holds no timer): a second DisposeAsync reads whether it was cancelled.
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    private Gen2Survivors() => _sampling = SampleAsync(_stop.Token);

    public long MaxSurvivedBytes { get; private set; }

    public int FullCollectionsSeen { get; private set; }

    public static Gen2Survivors Start() => new();

    private async Task SampleAsync(CancellationToken stop)
    {
        long lastIndex = Math.Max(GC.GetGCMemoryInfo(GCKind.FullBlocking).Index, GC.GetGCMemoryInfo(GCKind.Background).Index);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                foreach (var kind in new[] { GCKind.FullBlocking, GCKind.Background })
                {
                    var info = GC.GetGCMemoryInfo(kind);
                    if (info.Index <= lastIndex || info.Generation != 2) continue;
                    FullCollectionsSeen++;
                    MaxSurvivedBytes = Math.Max(MaxSurvivedBytes, info.PromotedBytes);
                }
                lastIndex = Math.Max(lastIndex, Math.Max(GC.GetGCMemoryInfo(GCKind.FullBlocking).Index, GC.GetGCMemoryInfo(GCKind.Background).Index));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Stops sampling; again is a no-op (the run stops it before measuring, and its scope ends later).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync();
        await _sampling;
    }
}
