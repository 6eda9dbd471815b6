namespace Coordinator.Silo.Configuration;

/// <summary>
/// The silo's own settings, section <c>Coordinator</c>. (Not under <c>Orleans</c>: Orleans 10 reads that
/// section as provider configuration and fails on keys it does not know.)
/// </summary>
public sealed class CoordinatorOptions
{
    public const string Section = "Coordinator";

    /// <summary>Port of the HTTP/1.1 endpoint: dashboard, health, metrics.</summary>
    public int HttpPort { get; set; } = 5080;

    /// <summary>Port of the HTTP/2-only endpoint for gRPC (plain-text gRPC needs its own endpoint).</summary>
    public int GrpcPort { get; set; } = 5081;

    /// <summary>Address the HTTP and gRPC endpoints (and, off localhost clustering, the silo) bind; loopback unless a deployment says otherwise.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>The address other silos and clients reach this silo at; default: loopback for localhost clustering, else the first non-loopback IPv4.</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Localhost (one silo), AzureStorage (membership table) or Kubernetes (Azure membership + pod integration). Default: follows the storage provider.</summary>
    public ClusteringMode? Clustering { get; set; }

    public StorageOptions Storage { get; set; } = new();

    /// <summary>An extra JSON configuration file (e.g. a mounted ConfigMap with the cluster registry).</summary>
    public string? ConfigFile { get; set; }

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>Silo-to-silo and gateway transport: TLS (section <c>Coordinator:Orleans</c>).</summary>
    public OrleansTransportOptions Orleans { get; set; } = new();

    public string ClusterId { get; set; } = "coordinator";

    public string ServiceId { get; set; } = "coordinator";

    /// <summary>Write logs as JSON (compact Serilog format) instead of text.</summary>
    public bool JsonLogs { get; set; }

    /// <summary>Every context of this kubeconfig becomes a cluster (context name = cluster name).</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>Run the seed scenario on every cluster at start-up and show it live (the one-command demo).</summary>
    public bool Demo { get; set; }

    /// <summary>Pause duration used by the demo instead of the seed's 30 s (e.g. "5s"); empty keeps the seed's.</summary>
    public string? DemoPause { get; set; }

    /// <summary>Explicitly configured clusters.</summary>
    public List<TargetClusterOptions> Clusters { get; set; } = [];

    /// <summary>
    /// Timeouts, retries and circuit breaker of every cluster's Kubernetes calls (section <c>Coordinator:Kubernetes</c>,
    /// e.g. <c>CallTimeout</c>, <c>AttemptTimeout</c>, <c>MaxRetries</c>, <c>BreakDuration</c>).
    /// </summary>
    public Coordinator.Kubernetes.Clusters.Resilience.KubernetesResilienceOptions Kubernetes { get; set; } = new();

    /// <summary>The simulated fleet started when no cluster is configured.</summary>
    public EmbeddedFleetOptions EmbeddedFleet { get; set; } = new();

    /// <summary>Fleet-wide limits of fleet rollouts (section <c>Coordinator:Fleet</c>, e.g. <c>MaxClustersInProgress</c>).</summary>
    public Grains.Fleet.FleetOptions Fleet { get; set; } = new();

    /// <summary>Bounds on manifests, gRPC messages and watch streams (section <c>Coordinator:Limits</c>).</summary>
    public LimitsOptions Limits { get; set; } = new();

    /// <summary>Authentication and authorization of the API (off in the embedded default).</summary>
    public Security.AuthOptions Auth { get; set; } = new();

    /// <summary>The Prometheus endpoint <c>/metrics</c> (section <c>Coordinator:Metrics</c>).</summary>
    public Observability.MetricsOptions Metrics { get; set; } = new();

    /// <summary>OTLP export of traces and metrics (section <c>Coordinator:Otlp</c>); none unless an endpoint is set.</summary>
    public Observability.OtlpOptions Otlp { get; set; } = new();

    /// <summary>TLS for the gRPC and HTTP endpoints.</summary>
    public Security.TlsOptions Tls { get; set; } = new();
}

public enum ClusteringMode
{
    Localhost,
    AzureStorage,
    Kubernetes,
}

public enum StorageProvider
{
    /// <summary>In-memory grain state and reminders: the embedded default; lost when the silo stops.</summary>
    Memory,
    /// <summary>Azure Table storage for grain state, reminders and membership (Azurite locally).</summary>
    AzureStorage,
}

public sealed class StorageOptions
{
    public StorageProvider Provider { get; set; } = StorageProvider.Memory;

    /// <summary>Azure Storage connection string, e.g. <c>UseDevelopmentStorage=true</c> for Azurite on its default ports.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Table name prefix, so several coordinators (or test runs) can share one account.</summary>
    public string TablePrefix { get; set; } = "coordinator";

    /// <summary>
    /// Grain-state and reminder requests in flight at once, reads first: enough for Azurite; raise it for Azure Storage,
    /// which answers many more at once (see <see cref="Hosting.StorageRequestLimit"/>).
    /// </summary>
    public int MaxConcurrentRequests { get; set; } = Hosting.StorageRequestLimit.DefaultMaxConcurrentRequests;
}

public sealed class TargetClusterOptions
{
    public string Name { get; set; } = "";
    public Dictionary<string, string> Labels { get; set; } = [];
    public string? Kubeconfig { get; set; }
    public string? Context { get; set; }
    /// <summary>A plain API server URL (no credentials), e.g. a KubeSim cluster in another container.</summary>
    public string? Server { get; set; }
    /// <summary>Run this cluster in the in-process KubeSim instead of connecting to a real one.</summary>
    public bool Simulated { get; set; }
    /// <summary>The namespaces the coordinator manages in this cluster (its watches are limited to them); empty: all.</summary>
    public List<string> Namespaces { get; set; } = [];
}

public sealed class EmbeddedFleetOptions
{
    /// <summary>Cluster names and their region label.</summary>
    public Dictionary<string, string> Regions { get; set; } = new()
    {
        ["dev"] = "europe-west1",
        ["staging"] = "europe-west1",
        ["prod"] = "us-east1",
    };

    /// <summary>The <c>tier</c> label of every embedded cluster (the seed's app is a web front end).</summary>
    public string Tier { get; set; } = "web";

    /// <summary>Load the seed's starting point (namespace test, Deployment, Services, VirtualService).</summary>
    public bool Seed { get; set; } = true;

    /// <summary>KubeSim's port; 0 picks a free one.</summary>
    public int Port { get; set; }
}
