namespace Coordinator.Silo.Security;

/// <summary>Authentication and authorization of the gRPC and HTTP API, section <c>Coordinator:Auth</c>.</summary>
public sealed class AuthOptions
{
    /// <summary>kube-apiserver's <c>--token-auth-file</c> format: <c>token,user,uid,"group1,group2"</c> (flag <c>--token-auth-file</c>).</summary>
    public string? TokenFile { get; set; }

    /// <summary>Argo CD-style policy CSV (flag <c>--authz-policy</c>).</summary>
    public string? PolicyFile { get; set; }

    /// <summary>The role every authenticated user has (Argo CD's <c>policy.default</c>). Unset: none with a policy file, role:readonly without.</summary>
    public string? DefaultRole { get; set; }

    public OidcOptions Oidc { get; set; } = new();

    /// <summary>Serve beyond loopback without authentication (a trusted network, e.g. a local docker-compose demo). Never in production.</summary>
    public bool AllowUnauthenticated { get; set; }
}

/// <summary>OIDC / JWT bearer tokens, section <c>Coordinator:Auth:Oidc</c>.</summary>
public sealed class OidcOptions
{
    public string? Issuer { get; set; }

    public string? Audience { get; set; }

    /// <summary>Where the signing keys are; unset: found through the issuer's <c>/.well-known/openid-configuration</c>.</summary>
    public string? JwksUri { get; set; }

    /// <summary>The claim holding the user name (kube-apiserver's <c>--oidc-username-claim</c>, default <c>sub</c>).</summary>
    public string UsernameClaim { get; set; } = "sub";

    /// <summary>The claim holding the groups (a string or an array).</summary>
    public string GroupsClaim { get; set; } = "groups";
}

/// <summary>TLS for the gRPC and HTTP endpoints, section <c>Coordinator:Tls</c> (PEM files).</summary>
public sealed class TlsOptions
{
    public string? CertFile { get; set; }

    public string? KeyFile { get; set; }

    /// <summary>CA bundle for client certificates (mTLS): CN = user, O = groups, as Kubernetes does.</summary>
    public string? ClientCaFile { get; set; }
}
