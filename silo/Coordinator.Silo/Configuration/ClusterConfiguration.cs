using Coordinator.Domain.Manifest;
using Coordinator.Kubernetes.Clusters;
using k8s;

namespace Coordinator.Silo.Configuration;

/// <summary>
/// Builds the cluster registry's definitions from configuration: explicit clusters, then every
/// context of <c>--kubeconfig</c>. Simulated clusters get their URL from the embedded KubeSim.
/// </summary>
public static class ClusterConfiguration
{

    public static IReadOnlyList<ClusterDefinition> FromOptions(CoordinatorOptions options, Func<string, Uri> simulatedUrl)
    {
        var clusters = new List<ClusterDefinition>();
        foreach (var (cluster, index) in options.Clusters.Select((c, i) => (c, i)))
        {
            var field = $"{CoordinatorOptions.Section}:Clusters:{index}";
            if (string.IsNullOrWhiteSpace(cluster.Name))
                throw new InvalidOperationException($"{field}:Name must be set");
            if (!cluster.Simulated && string.IsNullOrWhiteSpace(cluster.Kubeconfig) && string.IsNullOrWhiteSpace(cluster.Server))
                throw new InvalidOperationException($"{field}: cluster '{cluster.Name}' needs Kubeconfig (+ Context), Server, or Simulated=true");
            Uri? server = null;
            if (!cluster.Simulated && cluster.Server is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out server))
                throw new InvalidOperationException($"{field}:Server: '{url}' is not an absolute URL");
            var useKubeconfig = !cluster.Simulated && server is null;
            if (useKubeconfig && cluster.Kubeconfig is { Length: > 0 } clusterKubeconfig)
                UserFiles.EnsureSafeKubeconfig(clusterKubeconfig, $"{field}:Kubeconfig", options.Limits.ToManifestLimits());
            foreach (var (ns, n) in cluster.Namespaces.Select((ns, n) => (ns, n)))
                if (KubernetesNames.LabelError(ns) is { } error)
                    throw new InvalidOperationException($"{field}:Namespaces:{n}: {error}");
            clusters.Add(new ClusterDefinition
            {
                Name = cluster.Name,
                Labels = cluster.Labels,
                KubeconfigPath = useKubeconfig ? cluster.Kubeconfig : null,
                Context = useKubeconfig ? cluster.Context ?? cluster.Name : null,
                ServerUrl = cluster.Simulated ? simulatedUrl(cluster.Name) : server,
                Namespaces = cluster.Namespaces.Distinct(StringComparer.Ordinal).ToList(),
            });
        }

        if (options.Kubeconfig is { Length: > 0 } path)
        {
            if (!File.Exists(path))
                throw new InvalidOperationException($"--kubeconfig: file '{path}' does not exist");
            UserFiles.EnsureSafeKubeconfig(path, "--kubeconfig", options.Limits.ToManifestLimits());
            var kubeconfig = KubernetesClientConfiguration.LoadKubeConfig(path);
            foreach (var context in kubeconfig.Contexts ?? [])
            {
                if (clusters.Any(c => c.Name == context.Name)) continue;
                clusters.Add(new ClusterDefinition { Name = context.Name, KubeconfigPath = path, Context = context.Name });
            }
        }
        return clusters;
    }

    /// <summary>
    /// The simulated clusters to start: the configured ones, or the default fleet when none is configured, labelled
    /// region, env (its name) and tier, so a fleet selector works out of the box.
    /// </summary>
    public static IReadOnlyList<TargetClusterOptions> SimulatedClusters(CoordinatorOptions options)
    {
        if (options.Clusters.Count > 0 || !string.IsNullOrEmpty(options.Kubeconfig))
            return options.Clusters.Where(c => c.Simulated).ToList();
        return options.EmbeddedFleet.Regions
            .Select(kv => new TargetClusterOptions
            {
                Name = kv.Key, Simulated = true,
                Labels = new() { ["region"] = kv.Value, ["env"] = kv.Key, ["tier"] = options.EmbeddedFleet.Tier },
            })
            .ToList();
    }
}
