using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Coordinator.Grains.Rollouts;

namespace Coordinator.Benchmarks.Rollouts;

/// <summary>Collects the grains' step-lag histogram (<see cref="RolloutMetrics.StepLag"/>) through a MeterListener.</summary>
internal sealed class StepLagRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(DateTimeOffset At, double Lag, string Cluster)> _samples = new();

    public StepLagRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RolloutMetrics.MeterName && instrument.Name == RolloutMetrics.StepLagName)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) => _samples.Enqueue((DateTimeOffset.UtcNow, value, ClusterOf(tags))));
        _listener.Start();
    }

    public IReadOnlyList<double> Values => [.. _samples.Select(s => s.Lag)];

    /// <summary>Each step's lag with the moment it was recorded (its traffic write acknowledged).</summary>
    public IReadOnlyList<(DateTimeOffset At, double Lag, string Cluster)> Samples => [.. _samples];

    private static string ClusterOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
            if (tag.Key == "cluster") return tag.Value as string ?? "";
        return "";
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>Nearest-rank percentile.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
