using Coordinator.Silo.Configuration;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Coordinator.Silo.Hosting;

/// <summary>Serilog: text or JSON on the console; rollout and cluster come from log scopes.</summary>
internal static class LoggingSetup
{
    public static void Configure(WebApplicationBuilder builder, CoordinatorOptions options)
    {
        builder.Services.AddSerilog((services, log) =>
        {
            log.MinimumLevel.Information()
                // Orleans and Polly (inside Orleans placement) are chatty at Information.
                .MinimumLevel.Override("Orleans", LogEventLevel.Warning)
                .MinimumLevel.Override("Polly", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Hosting", LogEventLevel.Information)
                .MinimumLevel.Override("Coordinator", options.Demo ? LogEventLevel.Warning : LogEventLevel.Information)
                .Enrich.FromLogContext()
                // Sinks registered as services (tests capture the audit records this way).
                .ReadFrom.Services(services)
                // Last, so that configuration (Serilog:MinimumLevel:...) can override the defaults above.
                .ReadFrom.Configuration(builder.Configuration);
            if (options.JsonLogs) log.WriteTo.Console(new CompactJsonFormatter());
            else log.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Cluster}{Rollout} {Message:lj}{NewLine}{Exception}");
        },
        // Each host keeps its own logger: several silos in one process (tests) must not write through whichever
        // was configured last, which is what replacing the static Log.Logger would do.
        preserveStaticLogger: true);
    }
}
