extern alias cli;
using Coordinator.Silo.Tests.Security;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using FleetRolloutsClient = cli::Coordinator.Grpc.V1.FleetRollouts.FleetRolloutsClient;
using RolloutsClient = cli::Coordinator.Grpc.V1.Rollouts.RolloutsClient;

namespace Coordinator.Silo.Tests.Web;

/// <summary>
/// The real silo with static tokens and a policy (an admin and a read-only viewer), without TLS so a headless browser can
/// reach it plainly; the audit records are captured.
/// </summary>
public sealed class UiSecureSiloFixture : SiloFixture, IAsyncLifetime
{
    public const string AdminToken = "ui-admin-token-51c2";
    public const string ViewerToken = "ui-viewer-token-0b7d";

    private readonly string _directory = Directory.CreateTempSubdirectory("coordinator-ui-").FullName;
    private readonly List<GrpcChannel> _channels = [];

    public CapturedLogs Logs { get; } = new();

    protected override IEnumerable<string> ExtraArgs
    {
        get
        {
            var tokens = Path.Combine(_directory, "tokens.csv");
            var policy = Path.Combine(_directory, "policy.csv");
            File.WriteAllText(tokens, $"{AdminToken},admin,2001,\"admins\"\n{ViewerToken},viewer,2002\n");
            File.WriteAllText(policy, "g, admins, role:admin\ng, viewer, role:readonly\n");
            return ["--token-auth-file", tokens, "--authz-policy", policy];
        }
    }

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ILogEventSink>(Logs);

    public RolloutsClient Rollouts(string token) => new(Channel(token));

    public FleetRolloutsClient FleetRollouts(string token) => new(Channel(token));

    /// <summary>An HTTP client for the page's API, sending <paramref name="token"/> as a bearer token, if any.</summary>
    public HttpClient Http(string? token = null)
    {
        var client = new HttpClient { BaseAddress = HttpUrl };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    private GrpcChannel Channel(string token)
    {
        var credentials = CallCredentials.FromInterceptor((_, metadata) =>
        {
            metadata.Add("Authorization", $"Bearer {token}");
            return Task.CompletedTask;
        });
        var channel = GrpcChannel.ForAddress(GrpcUrl, new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Create(ChannelCredentials.Insecure, credentials),
            UnsafeUseInsecureChannelCallCredentials = true,
        });
        lock (_channels) _channels.Add(channel);
        return channel;
    }

    /// <summary>Re-implements the interface: the base fixture's DisposeAsync is not virtual.</summary>
    public new async Task DisposeAsync()
    {
        foreach (var channel in _channels) channel.Dispose();
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
