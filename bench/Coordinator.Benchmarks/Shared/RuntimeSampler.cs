using System.Collections.Concurrent;
using System.Globalization;

namespace Coordinator.Benchmarks;

/// <summary>
/// A process's runtime every 100 ms (GC pause time so far, gen-2 count, thread-pool queue), so that a late step can be
/// matched with what the silo, or KubeSim in its own process, was doing while it waited. A sampler in another process
/// appends its samples to a file (<see cref="RuntimeSampler(TimeSpan, string?)"/>), read back with <see cref="ReadFile"/>.
/// </summary>
internal sealed class RuntimeSampler : IDisposable
{
    private readonly ConcurrentQueue<Sample> _samples = new();
    private readonly CancellationTokenSource _stop = new();

    public readonly record struct Sample(DateTimeOffset At, TimeSpan GcPauseTotal, int Gen2, long QueuedWorkItems);

    public RuntimeSampler(TimeSpan limit, string? file = null) => _ = RunAsync(limit, file);

    private RuntimeSampler(IEnumerable<Sample> samples)
    {
        foreach (var sample in samples) _samples.Enqueue(sample);
    }

    /// <summary>The samples another process's sampler wrote; empty when it wrote none.</summary>
    public static RuntimeSampler ReadFile(string file)
    {
        if (!File.Exists(file)) return new RuntimeSampler([]);
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var samples = new List<Sample>();
        while (reader.ReadLine() is { } line)
        {
            var f = line.Split(' ');
            if (f.Length != 4) continue; // a line being written
            samples.Add(new Sample(DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(f[0], CultureInfo.InvariantCulture)),
                TimeSpan.FromMilliseconds(double.Parse(f[1], CultureInfo.InvariantCulture)), int.Parse(f[2], CultureInfo.InvariantCulture),
                long.Parse(f[3], CultureInfo.InvariantCulture)));
        }
        return new RuntimeSampler(samples);
    }

    private async Task RunAsync(TimeSpan limit, string? file)
    {
        await using var writer = file is null ? null : new StreamWriter(new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        var end = DateTimeOffset.UtcNow + limit; // bounded: a benchmark that hangs must not sample forever
        while (!_stop.IsCancellationRequested && DateTimeOffset.UtcNow < end)
        {
            var sample = new Sample(DateTimeOffset.UtcNow, GC.GetTotalPauseDuration(), GC.CollectionCount(2), ThreadPool.PendingWorkItemCount);
            if (writer is null) _samples.Enqueue(sample);
            else await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{sample.At.ToUnixTimeMilliseconds()} {sample.GcPauseTotal.TotalMilliseconds} {sample.Gen2} {sample.QueuedWorkItems}"));
            try { await Task.Delay(100, _stop.Token); } catch (OperationCanceledException) { }
        }
    }

    /// <summary>GC pause time, gen-2 collections and the longest thread-pool queue between two instants (100 ms resolution).</summary>
    public (double GcPauseMs, int Gen2, long MaxQueued) Between(DateTimeOffset from, DateTimeOffset to)
    {
        var samples = _samples.ToArray();
        var before = samples.LastOrDefault(s => s.At <= from);
        var after = samples.FirstOrDefault(s => s.At >= to);
        if (before == default || after == default) return (double.NaN, 0, 0);
        var inside = samples.Where(s => s.At >= before.At && s.At <= after.At).ToList();
        return ((after.GcPauseTotal - before.GcPauseTotal).TotalMilliseconds, after.Gen2 - before.Gen2, inside.Max(s => s.QueuedWorkItems));
    }

    public void Dispose() => _stop.Cancel();
}
