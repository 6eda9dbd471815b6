using System.Collections.Concurrent;
using Coordinator.Domain.Ports;
using Coordinator.Kubernetes.Clusters.Resilience;
using k8s;
using Microsoft.Extensions.Logging;

namespace Coordinator.Kubernetes.Clusters;

/// <summary>
/// Holds one Kubernetes client per target cluster for the life of the process (creating clients per
/// call leaks sockets; kubernetes-client/csharp #545). Credentials stay inside the client
/// configuration: nothing here formats them into messages. Each client sends through its own resilience pipeline
/// (<see cref="ClusterResilience"/>): timeouts, retries and a circuit breaker per cluster.
/// </summary>
public sealed class ClusterRegistry : IClusterDirectory, IDisposable
{
    private readonly ConcurrentDictionary<string, (ClusterDefinition Definition, IKubernetes Client)> _clusters = new(StringComparer.Ordinal);
    /// <summary>Plain-HTTP API server addresses (KubeSim's port), whose connections all clusters served there share.</summary>
    private readonly ConcurrentDictionary<string, CleartextEndpoint> _cleartextEndpoints = new(StringComparer.OrdinalIgnoreCase);

    private readonly KubernetesResilienceOptions _resilience;
    private readonly ILoggerFactory? _loggerFactory;

    public ClusterRegistry(IEnumerable<ClusterDefinition> clusters, KubernetesResilienceOptions? resilience = null, ILoggerFactory? loggerFactory = null)
    {
        _resilience = resilience ?? new KubernetesResilienceOptions();
        _resilience.Validate();
        Rollouts.KubernetesJsonOptions.ShareStringsInResponses();
        _loggerFactory = loggerFactory;
        foreach (var definition in clusters) Add(definition);
    }

    /// <summary>The timeouts, retries and circuit-breaker settings every cluster's calls go through.</summary>
    public KubernetesResilienceOptions Resilience => _resilience;

    /// <summary>Adds a cluster while running (the embedded fleet and tests grow the fleet this way).</summary>
    public void Add(ClusterDefinition definition)
    {
        var configuration = BuildConfiguration(definition);
        // Telemetry inside the resilience handlers: every attempt is a request counted and timed (as client-go's metrics).
        var client = new k8s.Kubernetes(configuration,
            [.. ClusterResilience.Handlers(definition.Name, _resilience, _loggerFactory), new Telemetry.KubernetesRequestTelemetry(definition.Name), .. Transport(configuration)]);
        if (!_clusters.TryAdd(definition.Name, (definition, client)))
        {
            client.Dispose();
            throw new ArgumentException($"cluster '{definition.Name}' is configured twice", nameof(definition));
        }
    }

    public IReadOnlyCollection<ClusterDefinition> Clusters => _clusters.Values.Select(c => c.Definition).ToList();

    public bool Contains(string name) => _clusters.ContainsKey(name);

    public ClusterDefinition Definition(string name) => Get(name).Definition;

    public IKubernetes Client(string name) => Get(name).Client;

    public IReadOnlyList<ClusterEntry> ListClusters() =>
        _clusters.Values.Select(c => c.Definition)
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .Select(d => new ClusterEntry(d.Name, d.Labels, d.ServerUrl?.ToString() ?? (d.Context is { } ctx ? $"kubeconfig context {ctx}" : "")))
            .ToList();

    public async Task<string> ServerVersionAsync(string cluster, CancellationToken cancellationToken)
    {
        try
        {
            return (await Client(cluster).Version.GetCodeAsync(cancellationToken)).GitVersion;
        }
        catch (Polly.Timeout.TimeoutRejectedException ex)
        {
            // The cluster's call timeout rather than the caller's: to the caller, the same "did not answer in time".
            throw new OperationCanceledException($"the API server of cluster '{cluster}' did not answer within {ex.Timeout.TotalSeconds:0.#}s", ex);
        }
    }

    private (ClusterDefinition Definition, IKubernetes Client) Get(string name) =>
        _clusters.TryGetValue(name, out var cluster)
            ? cluster
            : throw new UnknownClusterException(name);

    private static KubernetesClientConfiguration BuildConfiguration(ClusterDefinition definition)
    {
        KubernetesClientConfiguration config;
        if (definition.KubeconfigPath is { } path)
            config = KubernetesClientConfiguration.BuildConfigFromConfigFile(path, currentContext: definition.Context);
        else if (definition.ServerUrl is { } url)
            config = new KubernetesClientConfiguration { Host = url.ToString().TrimEnd('/') };
        else
            throw new ArgumentException($"cluster '{definition.Name}' has neither a kubeconfig nor a server URL");

        // Calls are bounded by the cluster's resilience pipeline (CallTimeout); watches must be able to stay open.
        config.HttpClientTimeout = Timeout.InfiniteTimeSpan;
        return config;
    }

    /// <summary>
    /// Over TLS, the client's own handler: KubernetesClient asks for HTTP/2 and ALPN agrees on it with a kube-apiserver
    /// (HTTP/1.1 if the server refuses), so a cluster's watches and requests share one connection already. Over plain
    /// HTTP, where that request falls back to HTTP/1.1 unasked, the address's shared connections (<see cref="CleartextEndpoint"/>).
    /// </summary>
    private DelegatingHandler[] Transport(KubernetesClientConfiguration configuration)
    {
        var server = new Uri(configuration.Host);
        if (server.Scheme != Uri.UriSchemeHttp) return [];
        var endpoint = _cleartextEndpoints.GetOrAdd(server.GetLeftPart(UriPartial.Authority), address => new CleartextEndpoint(new Uri(address)));
        return [new CleartextEndpointHandler(endpoint)];
    }

    public void Dispose()
    {
        foreach (var (_, client) in _clusters.Values) client.Dispose();
        foreach (var endpoint in _cleartextEndpoints.Values) endpoint.Dispose();
    }
}

public sealed class UnknownClusterException(string name) : Exception($"unknown cluster '{name}'")
{
    public string ClusterName { get; } = name;
}
