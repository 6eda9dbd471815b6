using Coordinator.Abstractions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Coordinator.Silo.Observability;

/// <summary>Ready when a grain call (the fleet directory, which reads grain storage when it activates) answers within 5 s.</summary>
internal sealed class GrainCallHealthCheck(IGrainFactory grains) : IHealthCheck
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var clusters = await grains.GetGrain<IFleetDirectoryGrain>(0).ListClusters(probe: false).WaitAsync(Deadline, cancellationToken);
            return HealthCheckResult.Healthy($"{clusters.Count} clusters");
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            return HealthCheckResult.Unhealthy($"grain call failed: {ex.GetType().Name}");
        }
    }
}
