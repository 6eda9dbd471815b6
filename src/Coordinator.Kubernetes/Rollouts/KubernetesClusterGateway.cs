using System.Text.Json.Nodes;
using Coordinator.Domain.Actions;
using Coordinator.Domain.Observation;
using Coordinator.Domain.Ports;
using Coordinator.Domain.State;
using Coordinator.Kubernetes.Clusters;
using Coordinator.Kubernetes.Watching;
using k8s;
using k8s.Models;

namespace Coordinator.Kubernetes.Rollouts;

/// <summary>The <see cref="IClusterGateway"/> on KubernetesClient, one client per cluster from the registry.</summary>
public sealed class KubernetesClusterGateway(ClusterRegistry registry, ClusterChangeHub watches, ApiCallCounter counter, TimeProvider time)
    : IClusterGateway
{
    public async Task<Observed> ObserveAsync(RolloutTarget target, RolloutSpec spec, ObservationSource source, Observed? previous, CancellationToken cancellationToken)
    {
        ManagedNamespaces.Ensure(registry.Definition(target.Cluster), target, spec);
        if (source != ObservationSource.ApiServer && watches.SyncedCache(target.Cluster) is { } cache
            && (source == ObservationSource.Cache || await RefreshDeploymentAsync(cache, target, spec, cancellationToken)))
        {
            counter.CacheLook();
            return RolloutObserver.FromCache(cache, target, spec, previous?.Token as ObservedObjects);
        }
        var observed = await RolloutObserver.ReadAsync(Client(target), watches.Cache(target.Cluster), target, spec, cancellationToken);
        counter.Read(3 + observed.Observation.Services.Count + observed.Observation.VirtualServices.Count);
        return observed;
    }

    /// <summary>
    /// Reads the workload's Deployment into the synced cache (a version older than the cached one is ignored). False when
    /// there is none to read: the caller reads everything from the API server, so a deletion is seen too.
    /// </summary>
    private async Task<bool> RefreshDeploymentAsync(ClusterCache cache, RolloutTarget target, RolloutSpec spec, CancellationToken cancellationToken)
    {
        if (spec.WorkloadRef?.Name is not { } name) return false;
        var client = Client(target);
        counter.Read();
        var deployment = await KubernetesCalls.ReadOptionalAsync($"read deployment {target.Namespace}/{name}",
            c => client.AppsV1.ReadNamespacedDeploymentAsync(name, target.Namespace, cancellationToken: c), cancellationToken);
        if (deployment is null) return false;
        cache.Deployments.Upsert(target.Namespace, name, deployment);
        return true;
    }

    public Task<bool> ApplyAsync(RolloutTarget target, Observed observed, RolloutAction action, CancellationToken cancellationToken)
    {
        if (observed.Token is not ObservedObjects facts)
            throw new ArgumentException("the observation was not made by this gateway", nameof(observed));
        ManagedNamespaces.Ensure(registry.Definition(target.Cluster), target);
        return new ActionExecutor(Client(target), watches.Cache(target.Cluster), target, facts, counter, time).ApplyAsync(action, cancellationToken);
    }

    public Task SendEventAsync(RolloutTarget target, EmitEvent emitted, long sequence, CancellationToken cancellationToken)
    {
        ManagedNamespaces.Ensure(registry.Definition(target.Cluster), target);
        return RolloutEventWriter.SendAsync(Client(target), target, emitted, sequence, counter, time, cancellationToken);
    }

    public async Task SetImageAsync(RolloutTarget target, string deployment, string container, string image, CancellationToken cancellationToken)
    {
        ManagedNamespaces.Ensure(registry.Definition(target.Cluster), target);
        var client = Client(target);
        var current = await KubernetesCalls.RunAsync($"read deployment {target.Namespace}/{deployment}",
            c => client.AppsV1.ReadNamespacedDeploymentAsync(deployment, target.Namespace, cancellationToken: c), cancellationToken);
        var containers = current.Spec.Template.Spec.Containers.Where(c => container == "*" || c.Name == container).ToList();
        if (containers.Count == 0)
            throw new ClusterCallException(ClusterCallFailure.NotFound, $"container '{container}' not found in deployment {target.Namespace}/{deployment}");
        if (containers.All(c => c.Image == image)) return;

        // The same strategic merge patch `kubectl set image` sends.
        var patch = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    ["spec"] = new JsonObject
                    {
                        ["$setElementOrder/containers"] = new JsonArray(current.Spec.Template.Spec.Containers.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name }).ToArray()),
                        ["containers"] = new JsonArray(containers.Select(c => (JsonNode)new JsonObject { ["image"] = image, ["name"] = c.Name }).ToArray()),
                    },
                },
            },
        };
        counter.Write();
        await KubernetesCalls.RunAsync($"set image of deployment {target.Namespace}/{deployment}",
            c => client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.StrategicMergePatch), deployment, target.Namespace, cancellationToken: c),
            cancellationToken);
    }

    public Task PatchDeploymentTemplateAsync(RolloutTarget target, string deployment, string templatePatchJson, string? expectedResourceVersion,
        CancellationToken cancellationToken)
    {
        var patch = new JsonObject { ["spec"] = new JsonObject { ["template"] = JsonNode.Parse(templatePatchJson) } };
        if (expectedResourceVersion is not null) patch["metadata"] = new JsonObject { ["resourceVersion"] = expectedResourceVersion };
        return PatchDeploymentAsync(target, deployment, $"change the template of deployment {target.Namespace}/{deployment}",
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.StrategicMergePatch), cancellationToken);
    }

    public Task ReplaceDeploymentTemplateAsync(RolloutTarget target, string deployment, string templateJson, CancellationToken cancellationToken)
    {
        var patch = new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = "/spec/template", ["value"] = JsonNode.Parse(templateJson) });
        return PatchDeploymentAsync(target, deployment, $"restore the template of deployment {target.Namespace}/{deployment}",
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.JsonPatch), cancellationToken);
    }

    private async Task PatchDeploymentAsync(RolloutTarget target, string deployment, string what, V1Patch patch, CancellationToken cancellationToken)
    {
        ManagedNamespaces.Ensure(registry.Definition(target.Cluster), target);
        var client = Client(target);
        counter.Write();
        var written = await KubernetesCalls.RunAsync(what,
            c => client.AppsV1.PatchNamespacedDeploymentAsync(patch, deployment, target.Namespace, cancellationToken: c), cancellationToken);
        // The cache sees the write before its watch event, so a look from the cache right after finds the change.
        watches.Cache(target.Cluster)?.Deployments.Upsert(target.Namespace, deployment, written);
    }

    public Task<IReadOnlyList<ObservedPod>> ListPodsAsync(RolloutTarget target, CancellationToken cancellationToken)
    {
        ManagedNamespaces.Ensure(registry.Definition(target.Cluster), target);
        counter.Read();
        return PodReader.ListAsync(Client(target), target.Namespace, cancellationToken);
    }

    private IKubernetes Client(RolloutTarget target) => registry.Client(target.Cluster);
}
