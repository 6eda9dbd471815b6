using Coordinator.Grains.Observability;
using Coordinator.Grains.Rollouts;
using Coordinator.Kubernetes.Telemetry;
using Coordinator.Silo.Configuration;
using Coordinator.Silo.Security;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Coordinator.Silo.Observability;

/// <summary>
/// Metrics and traces through OpenTelemetry: <c>/metrics</c> in Prometheus' text format on the HTTP port (Argo Rollouts'
/// names where Argo has the metric, the coordinator's own, Orleans', ASP.NET Core's, .NET's and Polly's meters), and
/// spans from the gRPC call through the grain to each Kubernetes call, exported over OTLP only when a collector is configured.
/// </summary>
internal static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";

    /// <summary>Spans of the coordinator (gRPC calls, reconciles, Kubernetes calls) and of Orleans' grain calls between them.</summary>
    public static readonly string[] TraceSources = ["Coordinator", "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "Microsoft.AspNetCore"];

    private static readonly string[] Meters =
    [
        LiveSnapshotMetrics.MeterName, LiveSnapshotMetrics.FleetMeterName, RolloutMetrics.MeterName, KubernetesRequestTelemetry.MeterName,
        "Microsoft.Orleans", "Polly", "System.Runtime", "System.Net.Http",
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Diagnostics.HealthChecks",
    ];

    public static void Configure(WebApplicationBuilder builder, CoordinatorOptions options)
    {
        var otlp = OtlpEndpoint(options);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("coordinator", serviceInstanceId: Environment.MachineName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Meters).AddPrometheusExporter(p => p.DisableTotalNameSuffixForCounters = true);
                if (otlp is not null) metrics.AddOtlpExporter(o => o.Endpoint = otlp);
            });
        if (otlp is not null)
            telemetry.WithTracing(tracing => tracing.AddSource(TraceSources).AddOtlpExporter(o => o.Endpoint = otlp));
    }

    /// <summary>Maps <c>/metrics</c> and creates the gauges over the grains' live snapshots.</summary>
    public static void Map(WebApplication app, ApiSecurity security, CoordinatorOptions options)
    {
        LiveSnapshotMetrics.Start();
        var endpoint = app.MapPrometheusScrapingEndpoint(MetricsPath);
        // With authentication on, the fallback policy asks any caller for credentials; AllowAnonymous opens the scrape.
        if (security.Enabled && options.Metrics.AllowAnonymous) endpoint.AllowAnonymous();
    }

    private static Uri? OtlpEndpoint(CoordinatorOptions options)
    {
        var configured = options.Otlp.Endpoint is { Length: > 0 } e ? e : Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT");
        if (string.IsNullOrWhiteSpace(configured)) return null;
        return Uri.TryCreate(configured, UriKind.Absolute, out var uri)
            ? uri
            : throw new StartupRefusedException($"Coordinator:Otlp:Endpoint: '{configured}' is not an absolute URL (e.g. http://otel-collector:4317)");
    }
}
