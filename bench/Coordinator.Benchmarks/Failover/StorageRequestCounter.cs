using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Coordinator.Benchmarks.Failover;

/// <summary>
/// Counts the survivor's Azure Table requests (Azurite) after the kill, by table and verb, and per second: Azurite is a
/// single Node.js thread, and the failover's activations and state writes all queue on it.
/// </summary>
internal sealed class StorageRequestCounter : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentDictionary<string, int> _byKind = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, int> _perSecond = new();
    private readonly ConcurrentDictionary<string, List<double>> _latencies = new(StringComparer.Ordinal);
    private DateTimeOffset? _since;

    public void Arm(DateTimeOffset since) => _since = since;

    public IReadOnlyDictionary<string, int> ByKind => _byKind;

    public int[] PerSecond => _perSecond.IsEmpty ? [] : Enumerable.Range(0, _perSecond.Keys.Max() + 1).Select(s => _perSecond.GetValueOrDefault(s)).ToArray();

    /// <summary>Per kind, the latency p50 / p99 / max in ms (the attempt's send to its response).</summary>
    public IReadOnlyDictionary<string, string> Latencies => _latencies.ToDictionary(p => p.Key, p =>
    {
        List<double> sorted;
        lock (p.Value) sorted = p.Value.Order().ToList();
        return $"p50 {sorted[sorted.Count / 2]:0} / p99 {sorted[Math.Min(sorted.Count - 1, sorted.Count * 99 / 100)]:0} / max {sorted[^1]:0}";
    });

    public override void OnReceivedResponse(HttpMessage message)
    {
        if (!message.TryGetProperty(typeof(StorageRequestCounter), out var started) || started is not (string kind, long at)) return;
        var ms = System.Diagnostics.Stopwatch.GetElapsedTime(at).TotalMilliseconds;
        var list = _latencies.GetOrAdd(kind, _ => []);
        lock (list) list.Add(ms);
        _byKind.AddOrUpdate($"{kind} -> {message.Response.Status}", 1, (_, n) => n + 1);
    }

    public override void OnSendingRequest(HttpMessage message)
    {
        if (_since is not { } since) return;
        var path = message.Request.Uri.Path;
        var table = path.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        var paren = table.IndexOf('(');
        if (paren >= 0) table = table[..paren];
        // Table names carry the run's prefix; keep what follows it (grains, reminders, membership).
        var kind = table.EndsWith("grains", StringComparison.Ordinal) ? "grains"
            : table.EndsWith("reminders", StringComparison.Ordinal) ? "reminders"
            : table.EndsWith("membership", StringComparison.Ordinal) ? "membership" : table;
        _byKind.AddOrUpdate($"{kind} {message.Request.Method}", 1, (_, n) => n + 1);
        message.SetProperty(typeof(StorageRequestCounter), ($"{kind} {message.Request.Method}", System.Diagnostics.Stopwatch.GetTimestamp()));
        _perSecond.AddOrUpdate((int)Math.Floor((DateTimeOffset.UtcNow - since).TotalSeconds), 1, (_, n) => n + 1);
        if (message.Request.Content?.TryComputeLength(out var length) == true)
            _byKind.AddOrUpdate($"{kind} {message.Request.Method} bytes", (int)length, (_, n) => n + (int)length);
    }
}
