using System.Diagnostics;
using Coordinator.Domain.Ports;
using Coordinator.Grains.Observability;
using Microsoft.Extensions.DependencyInjection;

namespace Coordinator.Grains.Rollouts;

/// <summary>Metrics and spans of a reconcile, and the live snapshot the silo's gauges read.</summary>
public sealed partial class RolloutGrain
{
    private LiveSnapshots? _live;

    /// <summary>Optional: a host without metrics (some test beds) registers no <see cref="LiveSnapshots"/>.</summary>
    private LiveSnapshots? Live => _live ??= ServiceProvider.GetService<LiveSnapshots>();

    /// <summary>The reconcile loop (<see cref="ReconcileCoreAsync"/>) as one span and one <c>rollout_reconcile</c> sample.</summary>
    private async Task ReconcileAsync(bool trustLastObservation = false, ObservationSource firstLook = ObservationSource.Cache)
    {
        using var span = GrainTracing.Source.StartActivity("reconcile");
        span?.SetTag("coordinator.cluster", _key.Cluster).SetTag("k8s.namespace.name", _key.Namespace).SetTag("coordinator.rollout", _key.Name);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await ReconcileCoreAsync(trustLastObservation, firstLook);
        }
        finally
        {
            if (Exists) RolloutMetrics.RecordReconcile(_key, Stopwatch.GetElapsedTime(started));
            if (_lastError is { } error) span?.SetStatus(ActivityStatusCode.Error, error);
        }
    }
}
