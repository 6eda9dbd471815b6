using Microsoft.Extensions.Logging;

namespace Coordinator.Kubernetes.Clusters.Resilience;

/// <summary>
/// Puts {Cluster} in the logging scope of every request of one cluster's client, so that what the resilience pipeline
/// logs (retries, timeouts, the circuit opening) names the cluster as a property (Serilog takes scopes as properties).
/// </summary>
internal sealed class ClusterLogScopeHandler(ILogger logger, string cluster) : DelegatingHandler
{
    private readonly KeyValuePair<string, object>[] _scope = [new("Cluster", cluster)];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (logger.BeginScope(_scope))
        {
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
