using System.Diagnostics.Metrics;

namespace Coordinator.Grains.Rollouts;

/// <summary>
/// The rollout grains' metrics (System.Diagnostics.Metrics, meter <see cref="MeterName"/>), for OpenTelemetry exporters,
/// <c>dotnet-counters</c> and the benchmarks.
/// </summary>
public static class RolloutMetrics
{
    public const string MeterName = "Coordinator.Rollouts";

    /// <summary>Instrument name of <see cref="StepLag"/>.</summary>
    public const string StepLagName = "coordinator.rollout.step_lag";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>
    /// From the end of a timed pause (its persisted start time + duration) to the moment the API server acknowledged the
    /// VirtualService write of the step after it, in milliseconds; tagged with the cluster. How late the traffic moves.
    /// </summary>
    public static readonly Histogram<double> StepLag = Meter.CreateHistogram<double>(StepLagName, "ms",
        "Time from a pause step's end to the acknowledged VirtualService write of the next step");

    internal static void RecordStepLag(TimeSpan lag, string cluster) =>
        StepLag.Record(lag.TotalMilliseconds, new KeyValuePair<string, object?>("cluster", cluster));
}
