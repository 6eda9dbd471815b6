using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http;

namespace Coordinator.Kubernetes.Telemetry;

/// <summary>
/// Every request to a cluster's API server as Argo Rollouts' controller counts it
/// (<c>controller_clientset_k8s_request_total</c>: kind, namespace, name, verb, status_code; <c>cluster</c> added), its
/// latency per cluster (<c>coordinator_k8s_request_duration_seconds</c>), and a client span in the <c>Coordinator</c>
/// ActivitySource, so a trace runs from the gRPC call through the grain to each Kubernetes call.
/// The outermost handler of each cluster's client: it sees what the API server answered after any retries below it.
/// </summary>
public sealed class KubernetesRequestTelemetry(string cluster) : DelegatingHandler
{
    public const string MeterName = "Coordinator.Kubernetes";
    public const string SourceName = "Coordinator";

    private static readonly Meter Meter = new(MeterName);
    private static readonly ActivitySource Source = new(SourceName);

    private static readonly Counter<long> Requests = Meter.CreateCounter<long>("controller_clientset_k8s_request_total", unit: null,
        "Number of kubernetes requests executed during application reconciliation.");

    /// <summary>Time to the response headers: for a watch, how long the API server took to accept it.</summary>
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("coordinator_k8s_request_duration", "s",
        "Kubernetes API request latency per cluster, to the response headers.", tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = KubernetesRequestPath.Parse(request.Method, request.RequestUri);
        using var span = Source.StartActivity($"k8s {call.Verb} {call.Kind}", ActivityKind.Client);
        span?.SetTag("coordinator.cluster", cluster).SetTag("k8s.namespace.name", call.Namespace).SetTag("k8s.resource", call.Kind)
            .SetTag("k8s.name", call.Name).SetTag("http.request.method", request.Method.Method);
        var started = Stopwatch.GetTimestamp();
        var status = "error";
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            span?.SetTag("http.response.status_code", (int)response.StatusCode);
            if ((int)response.StatusCode >= 500) span?.SetStatus(ActivityStatusCode.Error);
            return response;
        }
        catch (Exception ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
        finally
        {
            Requests.Add(1, new TagList
            {
                { "kind", call.Kind }, { "namespace", call.Namespace }, { "name", call.Name },
                { "verb", call.Verb }, { "status_code", status }, { "cluster", cluster },
            });
            Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new TagList
            {
                { "cluster", cluster }, { "verb", call.Verb }, { "kind", call.Kind }, { "status_code", status },
            });
        }
    }
}
