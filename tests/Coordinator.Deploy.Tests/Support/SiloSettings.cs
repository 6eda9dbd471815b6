using Microsoft.Extensions.Configuration;

namespace Coordinator.Deploy.Tests.Support;

/// <summary>
/// A mirror of the silo's configuration contract (section <c>Coordinator</c>), bound with the same configuration binder the
/// silo uses, so the compose environment, the Deployment's env and the registry ConfigMap are read as the silo reads them.
/// </summary>
public sealed class SiloSettings
{
    public const string Section = "Coordinator";

    public ClusteringMode? Clustering { get; set; }
    public StorageSettings Storage { get; set; } = new();
    public string? ServiceId { get; set; }
    public string? ClusterId { get; set; }
    public string? BindAddress { get; set; }
    public string? AdvertisedAddress { get; set; }
    public int HttpPort { get; set; } = 5080;
    public int GrpcPort { get; set; } = 5081;
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;
    public string? ConfigFile { get; set; }
    public string? Kubeconfig { get; set; }
    public bool JsonLogs { get; set; }
    public List<ClusterSettings> Clusters { get; set; } = [];
    public AuthSettings Auth { get; set; } = new();
    public TlsSettings Tls { get; set; } = new();
    public OrleansSettings Orleans { get; set; } = new();

    /// <summary>Whether some authentication is configured: a silo bound beyond loopback refuses to start without it.</summary>
    public bool Authenticates => !string.IsNullOrEmpty(Auth.TokenFile) || !string.IsNullOrEmpty(Auth.Oidc.Issuer) || !string.IsNullOrEmpty(Tls.ClientCaFile);

    public sealed class StorageSettings
    {
        public StorageProvider Provider { get; set; }
        public string? ConnectionString { get; set; }
        public string? TablePrefix { get; set; }
    }

    public sealed class ClusterSettings
    {
        public string Name { get; set; } = "";
        public Dictionary<string, string> Labels { get; set; } = [];
        public string? Kubeconfig { get; set; }
        public string? Context { get; set; }
        public string? Server { get; set; }
        public List<string> Namespaces { get; set; } = [];
    }

    public sealed class AuthSettings
    {
        public string? TokenFile { get; set; }
        public string? PolicyFile { get; set; }
        public string? DefaultRole { get; set; }
        public OidcSettings Oidc { get; set; } = new();
    }

    public sealed class OidcSettings
    {
        public string? Issuer { get; set; }
        public string? Audience { get; set; }
        public string? JwksUri { get; set; }
        public string? UsernameClaim { get; set; }
        public string? GroupsClaim { get; set; }
    }

    public sealed class TlsSettings
    {
        public string? CertFile { get; set; }
        public string? KeyFile { get; set; }
        public string? ClientCaFile { get; set; }
    }

    public sealed class OrleansSettings
    {
        public OrleansTlsSettings Tls { get; set; } = new();
    }

    public sealed class OrleansTlsSettings
    {
        public string? CertFile { get; set; }
        public string? KeyFile { get; set; }
        public string? CaFile { get; set; }
    }

    public enum ClusteringMode { Localhost, AzureStorage, Kubernetes }

    public enum StorageProvider { Memory, AzureStorage }

    /// <summary>The keys of the contract (environment form, after <c>Coordinator__</c>); anything else is a typo.</summary>
    private static readonly System.Text.RegularExpressions.Regex KnownKey = new(
        "^(Storage__(Provider|ConnectionString|TablePrefix)|Clustering|ServiceId|ClusterId|BindAddress|AdvertisedAddress|HttpPort|GrpcPort|SiloPort|GatewayPort"
        + "|ConfigFile|Kubeconfig|JsonLogs|Clusters__[0-9]+__(Name|Server|Kubeconfig|Context|Labels__[A-Za-z0-9._/-]+|Namespaces__[0-9]+)"
        + "|Auth__(TokenFile|PolicyFile|DefaultRole|Oidc__(Issuer|Audience|JwksUri|UsernameClaim|GroupsClaim))"
        + "|Tls__(CertFile|KeyFile|ClientCaFile)|Orleans__Tls__(CertFile|KeyFile|CaFile))$");

    public static bool IsKnownEnvironmentKey(string key) =>
        key.StartsWith(Section + "__", StringComparison.Ordinal) && KnownKey.IsMatch(key[(Section.Length + 2)..]);

    /// <summary>Binds environment variables (<c>Coordinator__X__Y</c>) as the environment-variables provider does.</summary>
    public static SiloSettings FromEnvironment(IReadOnlyDictionary<string, string?> environment) =>
        Bind(new ConfigurationBuilder()
            .AddInMemoryCollection(environment.Select(kv => new KeyValuePair<string, string?>(kv.Key.Replace("__", ":", StringComparison.Ordinal), kv.Value)))
            .Build());

    /// <summary>Binds a JSON configuration file such as the registry ConfigMap's coordinator.json.</summary>
    public static SiloSettings FromJson(string json) =>
        Bind(new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build());

    private static SiloSettings Bind(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<SiloSettings>(o => o.ErrorOnUnknownConfiguration = true) ?? new SiloSettings();
}
