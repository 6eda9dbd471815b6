extern alias cli;
using Coordinator.KubeSim.Hosting;
using Coordinator.Silo.Hosting;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using FleetRolloutsClient = cli::Coordinator.Grpc.V1.FleetRollouts.FleetRolloutsClient;
using RolloutsClient = cli::Coordinator.Grpc.V1.Rollouts.RolloutsClient;

namespace Coordinator.Silo.Tests;

/// <summary>
/// The real silo host (the same composition root as <c>dotnet run --project silo/Coordinator.Silo</c>) on
/// free loopback ports, with its embedded fleet of three simulated clusters holding the seed scenario.
/// </summary>
public class SiloFixture : IAsyncLifetime
{
    private WebApplication _app = null!;
    private GrpcChannel _channel = null!;

    public Uri GrpcUrl { get; private set; } = null!;

    public Uri HttpUrl { get; private set; } = null!;

    public KubeSimServer Fleet { get; private set; } = null!;

    public RolloutsClient Grpc { get; private set; } = null!;

    public FleetRolloutsClient Fleets { get; private set; } = null!;

    /// <summary>More silo arguments, for a fixture with its own settings.</summary>
    protected virtual IEnumerable<string> ExtraArgs => [];

    /// <summary>More services for the silo (e.g. a log sink), for a fixture that needs them.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public async Task InitializeAsync()
    {
        _app = await SiloPorts.StartOnFreePortsAsync(ports => CoordinatorApp.BuildAsync(
        [
            "--http-port", "0", "--grpc-port", "0", .. ports,
            "--Serilog:MinimumLevel:Default", "Warning",
            .. ExtraArgs,
        ], configureServices: ConfigureServices));
        (HttpUrl, GrpcUrl) = CoordinatorApp.Endpoints(_app);
        Fleet = _app.Services.GetRequiredService<EmbeddedFleet>().Server!;
        _channel = GrpcChannel.ForAddress(GrpcUrl);
        Grpc = new RolloutsClient(_channel);
        Fleets = new FleetRolloutsClient(_channel);
        foreach (var cluster in Fleet.Clusters)
            await WaitUntilAsync(() => cluster.Get("deployments", "test", "rollouts-demo")?["status"]?["availableReplicas"]?.GetValue<int>() == 1,
                $"the seed Deployment of {cluster.Name} is available");
    }

    /// <summary>Runs rolloutctl in-process against this silo; returns its exit code and output.</summary>
    public Task<CliResult> CliAsync(params string[] args) => RunCliAsync(GrpcUrl, args);

    /// <summary>Runs rolloutctl in-process against the silo serving gRPC at <paramref name="server"/>.</summary>
    public static async Task<CliResult> RunCliAsync(Uri server, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await cli::Coordinator.Cli.Cli.RunAsync([.. args, "--server", server.ToString()], stdout, stderr, TimeProvider.System);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The sum of all simulated clusters' resourceVersions: unchanged means nothing was written anywhere.</summary>
    public long FleetResourceVersion => Fleet.Clusters.Sum(c => c.ResourceVersion);

    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting until {what}");
            await Task.Delay(20);
        }
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
