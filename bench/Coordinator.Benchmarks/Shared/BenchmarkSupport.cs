using System.Diagnostics;
using System.Text.Json;

namespace Coordinator.Benchmarks;

/// <summary>What every benchmark does the same way: JSON lines on stdout, a log on stderr, bounded waits.</summary>
internal static class BenchmarkSupport
{
    /// <summary>One machine-readable measurement, one line of JSON on stdout.</summary>
    public static void Emit(object measurement) => Console.WriteLine(JsonSerializer.Serialize(measurement));

    /// <summary>A human-readable progress line on stderr.</summary>
    public static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    /// <summary>Polls <paramref name="condition"/> until it holds; a benchmark never waits unbounded.</summary>
    public static async Task WaitAsync(string what, TimeSpan timeout, Func<Task<bool>> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > timeout) throw new TimeoutException($"timed out waiting until {what}");
            await Task.Delay(200);
        }
    }

    public static Task ForEachAsync<T>(IEnumerable<T> items, int parallelism, Func<T, Task> body) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (item, _) => await body(item));
}
