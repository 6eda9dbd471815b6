using System.Diagnostics.Metrics;
using Coordinator.Abstractions;

namespace Coordinator.Grains.Rollouts;

/// <summary>
/// The rollout grains' metrics (System.Diagnostics.Metrics, meter <see cref="MeterName"/>), for OpenTelemetry exporters,
/// <c>dotnet-counters</c> and the benchmarks. Where Argo Rollouts' controller has the metric, it has Argo's name and
/// labels (<c>cluster</c> added); names carry no unit, so the Prometheus exporter prints them as Argo does.
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

    /// <summary>Argo's <c>rollout_reconcile</c>: one reconcile loop, in seconds (Argo's buckets).</summary>
    private static readonly Histogram<double> Reconcile = Meter.CreateHistogram<double>("rollout_reconcile", unit: null,
        "Rollout reconciliation performance.", tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.15, 0.25, 0.5, 1] });

    /// <summary>Argo's <c>rollout_reconcile_error</c>: a reconcile stopped by a failed Kubernetes call.</summary>
    private static readonly Counter<long> ReconcileError = Meter.CreateCounter<long>("rollout_reconcile_error", unit: null,
        "Error occurring during the rollout");

    /// <summary>Argo's <c>rollout_events_total</c>: every Event the rollout recorded, by type and reason.</summary>
    private static readonly Counter<long> Events = Meter.CreateCounter<long>("rollout_events_total", unit: null,
        "Count of rollout events");

    internal static void RecordStepLag(TimeSpan lag, string cluster) =>
        StepLag.Record(lag.TotalMilliseconds, new KeyValuePair<string, object?>("cluster", cluster));

    internal static void RecordReconcile(RolloutKey key, TimeSpan took) =>
        Reconcile.Record(took.TotalSeconds, new("namespace", key.Namespace), new("name", key.Name), new("cluster", key.Cluster));

    internal static void RecordReconcileError(RolloutKey key) =>
        ReconcileError.Add(1, new("namespace", key.Namespace), new("name", key.Name), new("cluster", key.Cluster));

    internal static void RecordEvent(RolloutKey key, string type, string reason) =>
        Events.Add(1, new("namespace", key.Namespace), new("name", key.Name), new("cluster", key.Cluster), new("type", type), new("reason", reason));
}
