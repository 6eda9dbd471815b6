using System.Diagnostics.Metrics;
using Coordinator.Abstractions;

namespace Coordinator.Grains.Observability;

/// <summary>
/// Gauges read from the live snapshots at each collection, named and labelled as Argo Rollouts' controller does
/// (<c>rollout_info</c>, <c>rollout_info_replicas_*</c>, <c>rollout_phase</c>) with a <c>cluster</c> label added, plus the
/// fleet's own: runs by phase, clusters by wave and state, and wave durations. Instrument names carry no unit, so that
/// the Prometheus exporter prints them exactly as Argo's.
/// </summary>
public sealed class LiveSnapshotMetrics
{
    private static readonly Lazy<LiveSnapshotMetrics> Instance = new(() => new LiveSnapshotMetrics(LiveSnapshots.Process));

    /// <summary>Creates the process's gauges over <see cref="LiveSnapshots.Process"/> (once; later calls do nothing).</summary>
    public static void Start() => _ = Instance.Value;

    public const string MeterName = "Coordinator.Rollouts";
    public const string FleetMeterName = "Coordinator.Fleet";

    /// <summary>Argo's strategy label: this coordinator runs canary Rollouts routed by Istio only.</summary>
    private const string Strategy = "canary";
    private const string TrafficRouter = "Istio";

    /// <summary>Argo's RolloutPhase values; <c>rollout_phase</c> has one series per phase, 1 for the current one.</summary>
    private static readonly string[] Phases = ["Progressing", "Paused", "Healthy", "Degraded"];

    private readonly Meter _meter = new(MeterName);
    private readonly Meter _fleetMeter = new(FleetMeterName);
    private readonly LiveSnapshots _live;
    private readonly Histogram<double> _waveDuration;

    private LiveSnapshotMetrics(LiveSnapshots live)
    {
        _live = live;
        _meter.CreateObservableGauge("rollout_info", () => Each(s => 1, s => [.. Labels(s), new("strategy", Strategy), new("traffic_router", TrafficRouter), new("phase", s.Phase)]),
            description: "Information about rollout.");
        _meter.CreateObservableGauge("rollout_info_replicas_available", () => Each(s => s.Replicas.Available, Labels),
            description: "The number of available replicas per rollout.");
        _meter.CreateObservableGauge("rollout_info_replicas_unavailable", () => Each(s => Math.Max(0, s.Replicas.Desired - s.Replicas.Available), Labels),
            description: "The number of unavailable replicas per rollout.");
        _meter.CreateObservableGauge("rollout_info_replicas_desired", () => Each(s => s.Replicas.Desired, Labels),
            description: "The number of desired replicas per rollout.");
        _meter.CreateObservableGauge("rollout_info_replicas_updated", () => Each(s => s.Replicas.Updated, Labels),
            description: "The number of updated replicas per rollout.");
        _meter.CreateObservableGauge("rollout_phase", PhaseSeries,
            description: "Information on the state of the rollout (DEPRECATED - use rollout_info)");
        _meter.CreateObservableGauge("coordinator_rollout_canary_weight", () => Each(s => s.ActualWeight, Labels),
            description: "The canary's weight in the rollout's VirtualService, as last observed.");

        _fleetMeter.CreateObservableGauge("coordinator_fleet_runs", FleetRuns,
            description: "FleetRollout runs on this silo by phase.");
        _fleetMeter.CreateObservableGauge("coordinator_fleet_clusters", FleetClusters,
            description: "Clusters of each FleetRollout by wave and state.");
        _waveDuration = _fleetMeter.CreateHistogram<double>("coordinator_fleet_wave_duration", "s",
            "From a wave's start to its end (Completed, Failed, Halted, Reverted), in seconds.");
        _live.WaveFinished += RecordWave;
    }

    private static KeyValuePair<string, object?>[] Labels(RolloutSnapshot s) =>
        [new("name", s.Key.Name), new("namespace", s.Key.Namespace), new("cluster", s.Key.Cluster)];

    private IEnumerable<Measurement<int>> Each(Func<RolloutSnapshot, int> value, Func<RolloutSnapshot, KeyValuePair<string, object?>[]> labels) =>
        _live.Rollouts.Select(s => new Measurement<int>(value(s), labels(s)));

    private IEnumerable<Measurement<int>> PhaseSeries() =>
        _live.Rollouts.SelectMany(s => Phases.Select(phase =>
            new Measurement<int>(s.Phase == phase ? 1 : 0, [.. Labels(s), new("strategy", Strategy), new("phase", phase)])));

    private IEnumerable<Measurement<int>> FleetRuns() =>
        _live.Fleets.GroupBy(f => f.Phase).Select(g => new Measurement<int>(g.Count(), new KeyValuePair<string, object?>("phase", g.Key)));

    private IEnumerable<Measurement<int>> FleetClusters() =>
        _live.Fleets.SelectMany(f => f.Waves.SelectMany(w => w.Clusters.GroupBy(c => c.State).Select(g =>
            new Measurement<int>(g.Count(), new("fleet", f.Name), new("wave", w.Name), new("state", g.Key)))));

    private void RecordWave(FleetSnapshot fleet, FleetWaveStatus wave) =>
        _waveDuration.Record((wave.FinishedAt!.Value - wave.StartedAt!.Value).TotalSeconds,
            new("fleet", fleet.Name), new("wave", wave.Name), new("state", wave.State));
}
