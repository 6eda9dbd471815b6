using System.Text.Json;
using Coordinator.Silo.Configuration;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Coordinator.Silo.Observability;

/// <summary>
/// ASP.NET Core health checks: <c>/healthz</c> (liveness: the process serves HTTP; no dependency is asked, so a slow
/// storage account never gets a silo restarted), <c>/readyz</c> (readiness: the silo is an active cluster member,
/// answers a grain call and reaches its storage), and the standard gRPC health service <c>grpc.health.v1.Health</c> on
/// the gRPC port, which reports readiness. All open even with authentication on: probes carry no credentials.
/// </summary>
internal static class HealthSetup
{
    public const string Ready = "ready";

    public static void Configure(WebApplicationBuilder builder, CoordinatorOptions options)
    {
        var checks = builder.Services.AddHealthChecks()
            .AddCheck<SiloMembershipHealthCheck>("silo", tags: [Ready])
            .AddCheck<GrainCallHealthCheck>("grains", tags: [Ready]);
        if (options.Storage.Provider == StorageProvider.AzureStorage)
        {
            builder.Services.AddSingleton(new StorageHealthCheck(options.Storage.ConnectionString!, $"{options.Storage.TablePrefix}grains"));
            checks.AddCheck<StorageHealthCheck>("storage", tags: [Ready]);
        }
        builder.Services.AddGrpcHealthChecks(o =>
        {
            // "" is the whole server (what grpc_health_probe and Kubernetes' grpc probe ask by default): ready or not.
            o.Services.Clear();
            o.Services.Map("", r => r.Tags.Contains(Ready));
        });
    }

    public static void Map(WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = r => r.Tags.Contains(Ready), ResponseWriter = WriteAsync }).AllowAnonymous();
        app.MapGrpcHealthChecksService().AllowAnonymous();
    }

    /// <summary>A small JSON report: the overall status and each check's, with the reason of a failing one (never a secret).</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}
