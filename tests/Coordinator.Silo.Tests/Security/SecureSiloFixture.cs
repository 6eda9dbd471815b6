extern alias cli;
using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Coordinator.KubeSim.Hosting;
using Coordinator.Silo.Hosting;
using Coordinator.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using cli::Coordinator.Grpc.V1;
using FleetRolloutsClient = cli::Coordinator.Grpc.V1.FleetRollouts.FleetRolloutsClient;
using RolloutsClient = cli::Coordinator.Grpc.V1.Rollouts.RolloutsClient;

namespace Coordinator.Silo.Tests.Security;

/// <summary>
/// The real silo with every authentication on: a static token file, a test OIDC issuer, client certificates, TLS on
/// both endpoints, and an authorization policy. The seed rollout is applied (by the admin) in every cluster.
/// </summary>
public sealed class SecureSiloFixture : IAsyncLifetime
{
    public const string AdminToken = "admin-token-4f1c";
    public const string ViewerToken = "viewer-token-9a2e";
    public const string StagingToken = "staging-token-77b0";
    public const string Audience = "coordinator";

    /// <summary>kube-apiserver format: quoted group list, and a record with an empty token (skipped, as kube does).</summary>
    private const string TokenFile = $"""
        {AdminToken},admin,1001,"admins,everyone"
        {ViewerToken},viewer,1002
        {StagingToken},stella,1003,"stagers"
        ,nobody,1004
        """;

    private const string Policy = """
        # admins do everything, viewers read, stagers act in staging only
        g, admins, role:admin
        g, viewer, role:readonly
        p, role:staging-deployer, rollouts, *, staging/*, allow
        p, role:staging-deployer, clusters, get, staging, allow
        g, stagers, role:staging-deployer
        g, carol, role:readonly
        """;

    private readonly ConcurrentDictionary<string, GrpcChannel> _channels = new();
    private WebApplication _app = null!;

    public TestCertificates Certificates { get; } = new();

    public TestIssuer Issuer { get; private set; } = null!;

    public CapturedLogs Logs { get; } = new();

    public Uri GrpcUrl { get; private set; } = null!;

    public Uri HttpUrl { get; private set; } = null!;

    public KubeSimServer Fleet { get; private set; } = null!;

    public long FleetResourceVersion => Fleet.Clusters.Sum(c => c.ResourceVersion);

    public async Task InitializeAsync()
    {
        Issuer = await TestIssuer.StartAsync();
        var tokens = Path.Combine(Certificates.Directory, "tokens.csv");
        var policy = Path.Combine(Certificates.Directory, "policy.csv");
        await File.WriteAllTextAsync(tokens, TokenFile);
        await File.WriteAllTextAsync(policy, Policy);
        _app = await SiloPorts.StartOnFreePortsAsync(ports => CoordinatorApp.BuildAsync(
        [
            "--http-port", "0", "--grpc-port", "0", .. ports,
            "--Serilog:MinimumLevel:Default", "Warning",
            "--token-auth-file", tokens,
            "--authz-policy", policy,
            "--Coordinator:Auth:Oidc:Issuer", TestIssuer.Name,
            "--Coordinator:Auth:Oidc:Audience", Audience,
            "--Coordinator:Auth:Oidc:JwksUri", Issuer.JwksUri,
            "--Coordinator:Tls:CertFile", Certificates.ServerCertFile,
            "--Coordinator:Tls:KeyFile", Certificates.ServerKeyFile,
            "--Coordinator:Tls:ClientCaFile", Certificates.CaFile,
        ], configureServices: services => services.AddSingleton<ILogEventSink>(Logs)));
        (HttpUrl, GrpcUrl) = CoordinatorApp.Endpoints(_app);
        Fleet = _app.Services.GetRequiredService<EmbeddedFleet>().Server!;
        foreach (var cluster in Fleet.Clusters)
            await SiloFixture.WaitUntilAsync(() => cluster.Get("deployments", "test", "rollouts-demo")?["status"]?["availableReplicas"]?.GetValue<int>() == 1,
                $"the seed Deployment of {cluster.Name} is available");
        var manifest = Manifests.SeedRollout;
        var admin = Client(AdminToken);
        await admin.ApplyRolloutAsync(new ApplyRolloutRequest { Manifest = manifest, Namespace = "test" });
        // Quiet clusters from here on: a test that expects no write compares resourceVersions.
        foreach (var cluster in Fleet.Clusters)
        {
            var request = new RolloutRequest { Name = "rollouts-demo", Namespace = "test", Target = new Target { Clusters = { cluster.Name } } };
            await SiloFixture.WaitUntilAsync(() => admin.GetRollout(request).Clusters[0].Phase == "Healthy", $"the rollout is healthy in {cluster.Name}");
        }
    }

    /// <summary>A client over TLS (trusting the test CA) sending <paramref name="token"/> as a bearer token, if any.</summary>
    public RolloutsClient Client(string? token = null) => new(Channel(token, null));

    /// <summary>The FleetRollouts service over TLS, sending <paramref name="token"/> as a bearer token, if any.</summary>
    public FleetRolloutsClient FleetClient(string? token = null) => new(Channel(token, null));

    /// <summary>A TLS channel without credentials (the gRPC health service, which probes call without any).</summary>
    public GrpcChannel AnonymousChannel => Channel(null, null);

    /// <summary>A client over TLS presenting a client certificate.</summary>
    public RolloutsClient ClientWithCertificate(string user, params string[] groups) => ClientWithCertificate(Certificates.Client(user, groups));

    public RolloutsClient ClientWithCertificate((string CertFile, string KeyFile) files) => new(Channel(null, files));

    /// <summary>An HTTP client for the HTTP endpoint (dashboard, health), trusting the test CA.</summary>
    public HttpClient Http(string? token = null)
    {
        var client = new HttpClient(Handler(null)) { BaseAddress = HttpUrl };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    private GrpcChannel Channel(string? token, (string CertFile, string KeyFile)? certificate) =>
        _channels.GetOrAdd($"{token}|{certificate?.CertFile}", _ =>
        {
            var options = new GrpcChannelOptions { HttpHandler = Handler(certificate) };
            if (token is not null)
                options.Credentials = ChannelCredentials.Create(ChannelCredentials.SecureSsl, CallCredentials.FromInterceptor((_, metadata) =>
                {
                    metadata.Add("Authorization", $"Bearer {token}");
                    return Task.CompletedTask;
                }));
            return GrpcChannel.ForAddress(GrpcUrl, options);
        });

    private SocketsHttpHandler Handler((string CertFile, string KeyFile)? certificate)
    {
        var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Certificates.CaFile));
        var handler = new SocketsHttpHandler();
        handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck, CustomTrustStore = { ca },
        };
        if (certificate is { } files) handler.SslOptions.ClientCertificates = [TestCertificates.Load(files)];
        return handler;
    }

    public async Task DisposeAsync()
    {
        foreach (var channel in _channels.Values) channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Issuer.DisposeAsync();
        Certificates.Dispose();
    }
}
