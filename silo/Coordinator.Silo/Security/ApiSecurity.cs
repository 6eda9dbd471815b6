using System.Net;
using System.Security.Cryptography.X509Certificates;
using Coordinator.Grpc.Security;
using Coordinator.Silo.Configuration;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Coordinator.Silo.Security;

/// <summary>
/// Who may use the gRPC API and the dashboard: authentication (static tokens, OIDC, client certificates), Argo CD-style
/// authorization, audit, and TLS for both endpoints. Off in the embedded default (loopback); a silo bound beyond
/// loopback without any authentication refuses to start. /healthz and /readyz stay open.
/// </summary>
internal sealed class ApiSecurity
{
    public const string Scheme = "Coordinator";
    public const string ApiPolicy = "api";
    public const string DashboardPolicy = "dashboard";

    private readonly X509Certificate2? _serverCertificate;
    private readonly bool _clientCertificates;
    private readonly List<string> _warnings = [];

    private ApiSecurity(bool enabled, X509Certificate2? serverCertificate, bool clientCertificates)
    {
        Enabled = enabled;
        _serverCertificate = serverCertificate;
        _clientCertificates = clientCertificates;
    }

    /// <summary>True when some authentication is configured: every API call then needs credentials.</summary>
    public bool Enabled { get; }

    public static ApiSecurity Configure(WebApplicationBuilder builder, CoordinatorOptions options)
    {
        var (auth, tls) = (options.Auth, options.Tls);
        var oidc = !string.IsNullOrWhiteSpace(auth.Oidc.Issuer);
        var tokens = !string.IsNullOrWhiteSpace(auth.TokenFile);
        var clientCa = !string.IsNullOrWhiteSpace(tls.ClientCaFile);
        var enabled = oidc || tokens || clientCa;
        RefuseUnsafe(options, enabled);

        var security = new ApiSecurity(enabled, ServerCertificate(tls), clientCa);
        if (!enabled)
        {
            builder.Services.AddSingleton(RolloutAccess.Open);
            builder.Services.Configure<GrpcServiceOptions>(o => o.Interceptors.Add<AuditInterceptor>());
            return security;
        }

        var policy = LoadPolicy(auth, security._warnings);
        builder.Services.AddSingleton(policy);
        builder.Services.AddSingleton(new RolloutAccess(policy));
        builder.Services.Configure<GrpcServiceOptions>(o => o.Interceptors.Add<AuditInterceptor>());
        if (security._serverCertificate is null)
            security._warnings.Add("the API is served without TLS: bearer tokens cross the network in clear text (set Coordinator:Tls:CertFile and KeyFile)");

        var tokenFile = LoadTokens(auth, security._warnings);
        // The token scheme always exists: its 401 answers every request without credentials (gRPC: Unauthenticated).
        var authentication = builder.Services.AddAuthentication(Scheme)
            .AddScheme<StaticTokenOptions, StaticTokenHandler>(StaticTokenHandler.SchemeName, o => o.Tokens = tokenFile);
        if (oidc)
        {
            if (string.IsNullOrWhiteSpace(auth.Oidc.Audience))
                throw new StartupRefusedException("Coordinator:Auth:Oidc:Audience must be set with Coordinator:Auth:Oidc:Issuer (the client id tokens are issued for)");
            OidcSetup.Add(authentication, auth.Oidc);
        }
        if (clientCa) ClientCertificateSetup.Add(authentication, tls.ClientCaFile!);
        authentication.AddPolicyScheme(Scheme, Scheme, o =>
        {
            o.ForwardDefaultSelector = ctx => BearerToken.From(ctx.Request) is { } token
                ? oidc && (!tokens || BearerToken.LooksLikeJwt(token)) ? OidcSetup.Scheme : StaticTokenHandler.SchemeName
                : clientCa && ctx.Connection.ClientCertificate is not null ? ClientCertificateSetup.Scheme : StaticTokenHandler.SchemeName;
            o.ForwardChallenge = StaticTokenHandler.SchemeName;
        });

        var authorization = builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser())
            // The dashboard shows every cluster's grains: it needs get on all clusters.
            .AddPolicy(DashboardPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireAssertion(ctx =>
                policy.Allows(ctx.User.FindFirst(Caller.NameClaim)?.Value ?? "", ctx.User.FindAll(Caller.GroupClaim).Select(c => c.Value),
                    RbacActions.Clusters, RbacActions.Get, "*")));
        // Any endpoint added later (metrics, ...) needs a user unless it says otherwise.
        authorization.SetFallbackPolicy(new AuthorizationPolicyBuilder(Scheme).RequireAuthenticatedUser().Build());
        return security;
    }

    /// <summary>HTTPS on a Kestrel endpoint when a certificate is configured; client certificates are asked for, then checked by the certificate scheme.</summary>
    public void UseTls(ListenOptions listen)
    {
        if (_serverCertificate is null) return;
        listen.UseHttps(https =>
        {
            https.ServerCertificate = _serverCertificate;
            if (!_clientCertificates) return;
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            // The chain is checked against Coordinator:Tls:ClientCaFile by the certificate scheme, not by the system store.
            https.AllowAnyClientCertificate();
        });
    }

    /// <summary>Authentication middleware and the warnings found while configuring; call right after <c>Build()</c>.</summary>
    public void Use(WebApplication app)
    {
        foreach (var warning in _warnings) app.Logger.LogWarning("Security: {Warning}", warning);
        if (!Enabled) return;
        app.UseAuthentication();
        app.UseAuthorization();
    }

    public TBuilder RequireApi<TBuilder>(TBuilder endpoints) where TBuilder : IEndpointConventionBuilder =>
        Enabled ? endpoints.RequireAuthorization(ApiPolicy) : endpoints;

    public TBuilder RequireDashboard<TBuilder>(TBuilder endpoints) where TBuilder : IEndpointConventionBuilder =>
        Enabled ? endpoints.RequireAuthorization(DashboardPolicy) : endpoints;

    private static void RefuseUnsafe(CoordinatorOptions options, bool enabled)
    {
        if (enabled || options.Auth.AllowUnauthenticated) return;
        if (IPAddress.TryParse(options.BindAddress, out var bind) && IPAddress.IsLoopback(bind)) return;
        throw new StartupRefusedException(
            $"refusing to serve the API on {options.BindAddress} without authentication: anyone who reaches it could change any rollout. " +
            "Configure authentication: --token-auth-file FILE (kube-apiserver's token CSV), and/or OIDC with --Coordinator:Auth:Oidc:Issuer URL " +
            "--Coordinator:Auth:Oidc:Audience ID, and/or client certificates with --Coordinator:Tls:ClientCaFile FILE (with --Coordinator:Tls:CertFile " +
            "and --Coordinator:Tls:KeyFile); authorize with --authz-policy FILE. Or bind loopback (--Coordinator:BindAddress 127.0.0.1).");
    }

    private static X509Certificate2? ServerCertificate(TlsOptions tls)
    {
        var (cert, key) = (tls.CertFile, tls.KeyFile);
        if (string.IsNullOrWhiteSpace(cert) != string.IsNullOrWhiteSpace(key))
            throw new StartupRefusedException("Coordinator:Tls:CertFile and Coordinator:Tls:KeyFile go together (PEM files)");
        if (string.IsNullOrWhiteSpace(cert))
        {
            if (!string.IsNullOrWhiteSpace(tls.ClientCaFile))
                throw new StartupRefusedException("Coordinator:Tls:ClientCaFile (client certificates) needs TLS: set Coordinator:Tls:CertFile and Coordinator:Tls:KeyFile");
            return null;
        }
        try
        {
            return X509Certificate2.CreateFromPemFile(cert, key);
        }
        catch (Exception ex) when (ex is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
        {
            throw new StartupRefusedException($"Coordinator:Tls:CertFile/KeyFile: cannot load '{cert}' with '{key}': {ex.Message}");
        }
    }

    private static StaticTokenFile LoadTokens(AuthOptions auth, List<string> warnings)
    {
        if (string.IsNullOrWhiteSpace(auth.TokenFile)) return StaticTokenFile.Parse("", "(none)", warnings.Add);
        try
        {
            return StaticTokenFile.Load(auth.TokenFile, warnings.Add);
        }
        catch (FormatException ex)
        {
            throw new StartupRefusedException($"--token-auth-file: {ex.Message}");
        }
    }

    /// <summary>
    /// The policy file over the built-in roles. Without a policy file every authenticated user gets the default role,
    /// role:readonly unless Coordinator:Auth:DefaultRole says otherwise: authenticated but never allowed to change
    /// anything until a policy grants it.
    /// </summary>
    private static RbacPolicy LoadPolicy(AuthOptions auth, List<string> warnings)
    {
        if (string.IsNullOrWhiteSpace(auth.PolicyFile))
        {
            var role = auth.DefaultRole ?? RbacPolicy.ReadOnly;
            warnings.Add($"no --authz-policy: every authenticated user has the default role '{role}' and nothing else");
            return RbacPolicy.Parse(null, "(none)", role);
        }
        try
        {
            return RbacPolicy.Parse(File.ReadAllText(auth.PolicyFile), auth.PolicyFile, auth.DefaultRole ?? "");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            throw new StartupRefusedException($"--authz-policy: {ex.Message}");
        }
    }
}
