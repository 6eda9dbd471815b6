using System.Net;
using Coordinator.Abstractions;
using Coordinator.Grpc;
using Coordinator.Grpc.Telemetry;
using Coordinator.Kubernetes.Clusters;
using Coordinator.Kubernetes.Watching;
using Coordinator.Silo.Configuration;
using Coordinator.Silo.Observability;
using Coordinator.Silo.Security;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Orleans.Dashboard;
using Serilog;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// The composition root: configuration → clusters (real or simulated) → Orleans silo + gRPC + dashboard + health.
/// Tests build the same app in-process with their own ports.
/// </summary>
public static class CoordinatorApp
{
    /// <param name="configureServices">Lets tests add services (e.g. a log sink) before the app is built.</param>
    public static async Task<WebApplication> BuildAsync(string[] args, TextWriter? demoOutput = null, Action<IServiceCollection>? configureServices = null)
    {
        args = FlagsWithValues(args);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        builder.Configuration.AddCommandLine(args, CommandLineSwitches.Map);
        if (builder.Configuration[$"{CoordinatorOptions.Section}:{nameof(CoordinatorOptions.ConfigFile)}"] is { Length: > 0 } configFile)
        {
            // The mounted ConfigMap; the command line and environment still win over it.
            UserFiles.EnsureSmall(Path.GetFullPath(configFile), "--config");
            builder.Configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false);
            builder.Configuration.AddEnvironmentVariables();
            builder.Configuration.AddCommandLine(args, CommandLineSwitches.Map);
        }
        var options = builder.Configuration.GetSection(CoordinatorOptions.Section).Get<CoordinatorOptions>() ?? new CoordinatorOptions();
        options.Limits.Validate();
        options.Kubernetes.Validate();

        builder.Services.Configure<CoordinatorOptions>(builder.Configuration.GetSection(CoordinatorOptions.Section));
        LoggingSetup.Configure(builder, options);
        var security = ApiSecurity.Configure(builder, options);
        TelemetrySetup.Configure(builder, options);
        HealthSetup.Configure(builder, options);
        if (options.Demo)
        {
            builder.Services.AddSingleton(new DemoOutput(demoOutput ?? Console.Out));
            builder.Services.AddHostedService<DemoRunner>();
        }

        var simulated = ClusterConfiguration.SimulatedClusters(options);
        var fleet = await EmbeddedFleet.StartAsync(simulated, options.EmbeddedFleet);
        builder.Services.AddSingleton(fleet);
        if (options.Clusters.Count == 0 && string.IsNullOrEmpty(options.Kubeconfig)) options.Clusters.AddRange(simulated);
        var clusters = ClusterConfiguration.FromOptions(options, fleet.UrlOf);

        var bind = IPAddress.Parse(options.BindAddress);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(bind, options.HttpPort, o => { o.Protocols = HttpProtocols.Http1; security.UseTls(o); });
            // Plain-text gRPC needs an HTTP/2-only endpoint (prior knowledge; no TLS negotiation).
            kestrel.Listen(bind, options.GrpcPort, o => { o.Protocols = HttpProtocols.Http2; security.UseTls(o); });
        });

        OrleansSetup.Configure(builder, options, clusters);
        builder.Services.AddGrpc(grpc =>
        {
            // Above the manifest limit, so an oversize manifest still reaches the service and is refused naming that limit.
            grpc.MaxReceiveMessageSize = options.Limits.MaxGrpcMessageBytes;
            // Replies are built from our own state and grow with the fleet (GetRollout over a thousand clusters passes
            // 4 MiB): not capped here; each client bounds what it accepts.
            grpc.MaxSendMessageSize = null;
            grpc.Interceptors.Add<CallTracingInterceptor>();
        });
        builder.Services.AddSingleton(options.Limits.ToManifestLimits());
        builder.Services.AddSingleton(new WatchLimiter(options.Limits.MaxWatchesPerClient));
        builder.Services.AddGrpcReflection();

        configureServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseSerilogRequestLogging(o => o.GetLevel = (_, _, _) => Serilog.Events.LogEventLevel.Debug);
        security.Use(app);
        security.RequireDashboard(app.MapOrleansDashboard(routePrefix: "/dashboard"));
        security.RequireApi(app.MapGrpcService<RolloutsService>());
        security.RequireApi(app.MapGrpcService<FleetRolloutsService>());
        security.RequireApi(app.MapGrpcReflectionService());
        Web.FleetUi.Map(app, security);
        // Health is open even with authentication on (probes carry no credentials); every other endpoint needs a user then.
        HealthSetup.Map(app);
        TelemetrySetup.Map(app, security, options);
        app.Lifetime.ApplicationStarted.Register(() => PrintEndpoints(app, fleet, clusters));
        // The cluster watches end first: the embedded fleet's KubeSim may stop with the host, and they would warn.
        app.Lifetime.ApplicationStopping.Register(() => app.Services.GetRequiredService<ClusterChangeHub>().Stop());
        app.Lifetime.ApplicationStopped.Register(() => fleet.DisposeAsync().AsTask().GetAwaiter().GetResult());
        return app;
    }

    /// <summary>What the banner suggests on the embedded default; a test runs exactly this against it.</summary>
    public const string FirstRunCommand = "rolloutctl apply -f deploy/examples/seed/rollout.yaml -n test";

    /// <summary>The URLs the silo actually serves (ports may have been chosen by the OS).</summary>
    public static (Uri Http, Uri Grpc) Endpoints(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        // Kestrel lists endpoints in the order they were configured: HTTP first, then gRPC.
        return (addresses[0], addresses.Count > 1 ? addresses[1] : addresses[0]);
    }

    private static void PrintEndpoints(WebApplication app, EmbeddedFleet fleet, IReadOnlyList<ClusterDefinition> clusters)
    {
        var (http, grpc) = Endpoints(app);
        Console.WriteLine($"gRPC:       {grpc}");
        Console.WriteLine($"dashboard:  {new Uri(http, "/dashboard/")}");
        Console.WriteLine($"fleet page: {new Uri(http, "/ui/")}");
        Console.WriteLine($"health:     {new Uri(http, "/healthz")}  {new Uri(http, "/readyz")}  (gRPC: grpc.health.v1.Health)");
        Console.WriteLine($"metrics:    {new Uri(http, TelemetrySetup.MetricsPath)}");
        foreach (var cluster in clusters)
        {
            var where = cluster.ServerUrl is { } url ? $"{url} (simulated)" : $"kubeconfig context {cluster.Context}";
            Console.WriteLine($"cluster:    {cluster.Name,-10} {where}");
        }
        if (fleet.Server is not null)
            Console.WriteLine($"The simulated clusters hold the seed scenario in namespace 'test'. Try: {FirstRunCommand}");
    }

    /// <summary>Lets boolean flags stand alone (<c>--json-logs</c>), which the configuration binder needs as <c>--json-logs true</c>.</summary>
    private static string[] FlagsWithValues(string[] args)
    {
        var result = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            result.Add(args[i]);
            var isBoolFlag = args[i] is "--json-logs" or "--demo";
            var nextIsValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            if (isBoolFlag && !nextIsValue) result.Add("true");
        }
        return result.ToArray();
    }
}
