using k8s;
using k8s.Models;

namespace Coordinator.Benchmarks.Rollouts;

/// <summary>
/// One simulated cluster of the rollouts benchmark as the benchmark sees it: over the Kubernetes API, as kubectl would,
/// wherever KubeSim runs (in this process or in its own).
/// </summary>
internal sealed class FleetCluster(string name, string serverUrl) : IDisposable
{
    private k8s.Kubernetes _client = NewClient(serverUrl);

    public string Name { get; } = name;

    public string ServerUrl { get; } = serverUrl;

    /// <summary>What <c>kubectl set image deployment rollouts-demo rollouts-demo=&lt;image&gt;</c> sends.</summary>
    public Task SetImageAsync(string ns, string image) =>
        _client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch(SetImagePatch.For(image), V1Patch.PatchType.StrategicMergePatch), RolloutFleet.Deployment, ns);

    public async Task<int?> ReplicasAsync(string ns, string replicaSet) =>
        (await _client.AppsV1.ReadNamespacedReplicaSetAsync(replicaSet, ns)).Spec.Replicas;

    public async Task<int> DeploymentAvailableAsync(string ns) =>
        (await _client.AppsV1.ReadNamespacedDeploymentAsync(RolloutFleet.Deployment, ns)).Status?.AvailableReplicas ?? 0;

    public async Task<string?> SelectorHashAsync(string ns, string service) =>
        (await _client.CoreV1.ReadNamespacedServiceAsync(service, ns)).Spec.Selector is { } selector
        && selector.TryGetValue("rollouts-pod-template-hash", out var hash) ? hash : null;

    /// <summary>
    /// Closes the benchmark's own connections to the cluster (a new client opens new ones when next used), so that the
    /// sockets left in this process are the silo's.
    /// </summary>
    public void DropConnections() => Interlocked.Exchange(ref _client, NewClient(ServerUrl)).Dispose();

    public void Dispose() => _client.Dispose();

    private static k8s.Kubernetes NewClient(string serverUrl) => new(new KubernetesClientConfiguration { Host = serverUrl });
}
