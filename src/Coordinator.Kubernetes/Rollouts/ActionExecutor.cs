using System.Text.Json.Nodes;
using Coordinator.Domain.Actions;
using Coordinator.Domain.Observation;
using Coordinator.Domain.Ports;
using Coordinator.Kubernetes.Clusters;
using Coordinator.Kubernetes.Watching;
using k8s;
using k8s.Models;

namespace Coordinator.Kubernetes.Rollouts;

/// <summary>
/// Applies one planner action through the cluster's KubernetesClient (its writes through its HTTP pipeline, their answers
/// taken from the watch cache when it has them: ActionExecutor.Answers.cs): merge patches carry the observed
/// resourceVersion as a precondition (a concurrent writer gets us a 409 and a fresh look, never a
/// blind overwrite), and actions that would not change the object are skipped without a call. What the server
/// acknowledged goes into the cluster's watch cache at once, so that the next look sees it before its watch event.
/// </summary>
internal sealed partial class ActionExecutor(
    IKubernetes client, ClusterCache? cache, RolloutTarget target, ObservedObjects facts, ApiCallCounter counter, TimeProvider time)
{
    private string Ns => target.Namespace;

    public Task<bool> ApplyAsync(RolloutAction action, CancellationToken ct) => action switch
    {
        CreateReplicaSet create => CreateReplicaSetAsync(create, ct),
        ScaleReplicaSet scale => ScaleReplicaSetAsync(scale, ct),
        AnnotateReplicaSet annotate => AnnotateReplicaSetAsync(annotate, ct),
        DeleteReplicaSet delete => DeleteReplicaSetAsync(delete, ct),
        SyncEphemeralMetadata sync => SyncEphemeralMetadataAsync(sync, ct),
        EvictPod evict => EvictPodAsync(evict, ct),
        AdoptReplicaSet adopt => AdoptReplicaSetAsync(adopt, ct),
        WriteOwnerConfigMap write => WriteOwnerAsync(write, ct),
        DeleteOwnerConfigMap delete => DeleteOwnerAsync(delete, ct),
        SwitchServiceSelector switchSelector => SwitchServiceSelectorAsync(switchSelector, ct),
        SetServiceAnnotation annotate => SetServiceAnnotationAsync(annotate, ct),
        SetVirtualServiceWeights weights => SetWeightsAsync(weights, ct),
        WriteDeploymentTemplate write => WriteDeploymentTemplateAsync(write, ct),
        ScaleDeployment scale => ScaleDeploymentAsync(scale, ct),
        EmitEvent => throw new NotSupportedException("Events are written by RolloutEventWriter, under their sequence number"),
        _ => throw new NotSupportedException($"unknown action {action.GetType().Name}"),
    };

    private async Task<bool> CreateReplicaSetAsync(CreateReplicaSet create, CancellationToken ct)
    {
        if (facts.ReplicaSets.ContainsKey(create.Name)) return false;
        await ConfirmOwnerAsync(ct);
        var rs = new V1ReplicaSet
        {
            ApiVersion = "apps/v1",
            Kind = "ReplicaSet",
            Metadata = new V1ObjectMeta
            {
                Name = create.Name,
                NamespaceProperty = Ns,
                Labels = new Dictionary<string, string>(create.Labels),
                Annotations = new Dictionary<string, string>(create.Annotations),
                OwnerReferences = [OwnerReference(create.Owner)],
            },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = create.Replicas,
                MinReadySeconds = create.MinReadySeconds,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(create.SelectorMatchLabels) },
                Template = KubernetesJson.Deserialize<V1PodTemplateSpec>(create.Template.ToJsonString()),
            },
        };
        counter.Write();
        var created = await WriteAsync(cache?.ReplicaSets, create.Name, $"create replicaset {Ns}/{create.Name}",
            HttpMethod.Post, RawKubernetesRequests.Path("apis/apps/v1", Ns, "replicasets"), RequestBody.Of(rs), RawKubernetesRequests.Json, ct);
        facts.ReplicaSets[create.Name] = V1ReplicaSetFacts.Of(created);
        cache?.ReplicaSets.Upsert(Ns, create.Name, created);
        Acknowledged("replicaset.create", create.Name);
        return true;
    }

    private async Task<bool> ScaleReplicaSetAsync(ScaleReplicaSet scale, CancellationToken ct)
    {
        var rs = ReplicaSet(scale.Name);
        if (rs.Replicas == scale.To) return false;
        var patch = new JsonObject { ["spec"] = new JsonObject { ["replicas"] = scale.To } };
        if (scale.To == 0 && rs.Annotations.ContainsKey(ReplicaSetAnnotations.ScaleDownDeadline))
        {
            // An RS at 0 has nothing left to scale down: drop its deadline in the same update, as Argo does. The planner's
            // separate removal that follows then finds nothing to change and costs no second write.
            patch["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [ReplicaSetAnnotations.ScaleDownDeadline] = null } };
        }
        await PatchReplicaSetAsync(scale.Name, $"scale replicaset {Ns}/{scale.Name}", patch, rs.ResourceVersion, ct);
        Acknowledged("replicaset.scale", scale.Name);
        return true;
    }

    private async Task<bool> AnnotateReplicaSetAsync(AnnotateReplicaSet annotate, CancellationToken ct)
    {
        var rs = ReplicaSet(annotate.Name);
        rs.Annotations.TryGetValue(annotate.Key, out var current);
        if (current == annotate.Value) return false;
        // No resourceVersion precondition: the annotation is ours alone (the scale-down deadline), setting it is
        // idempotent, and the ReplicaSet controller bumps the version with every status change, so a
        // precondition here would mostly lose races against pod counts that do not matter to it.
        await PatchReplicaSetAsync(annotate.Name, $"annotate replicaset {Ns}/{annotate.Name}",
            new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [annotate.Key] = annotate.Value } } },
            resourceVersion: null, ct);
        Acknowledged("replicaset.annotate", annotate.Name);
        return true;
    }

    private async Task<bool> DeleteReplicaSetAsync(DeleteReplicaSet delete, CancellationToken ct)
    {
        if (!facts.ReplicaSets.ContainsKey(delete.Name)) return false;
        var deleted = await DeleteAsync($"delete replicaset {Ns}/{delete.Name}",
            c => client.AppsV1.DeleteNamespacedReplicaSetAsync(delete.Name, Ns, propagationPolicy: "Background", cancellationToken: c), ct);
        cache?.ReplicaSets.Remove(Ns, delete.Name, resourceVersion: null);
        if (deleted) Acknowledged("replicaset.delete", delete.Name);
        return deleted;
    }

    /// <summary>A delete with background propagation; false when the object was already gone (the goal is reached).</summary>
    private async Task<bool> DeleteAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        counter.Write();
        try
        {
            await KubernetesCalls.RunAsync(what, call, ct);
            return true;
        }
        catch (ClusterCallException ex) when (ex.Failure == ClusterCallFailure.NotFound)
        {
            return false;
        }
    }

    /// <summary>
    /// Replaces the ReplicaSet's controller reference by the owner ConfigMap, keeping any other (non-controller) owner:
    /// metadata only, guarded by the observed resourceVersion, so pods, selectors and weights are untouched.
    /// </summary>
    private async Task<bool> AdoptReplicaSetAsync(AdoptReplicaSet adopt, CancellationToken ct)
    {
        var rs = ReplicaSet(adopt.Name);
        if (rs.OwnerReferences.Any(o => o.Controller == true && o.Uid == Owner().Uid)) return false;
        await ConfirmOwnerAsync(ct);
        var owner = Owner();
        var references = new JsonArray(rs.OwnerReferences.Where(o => o.Controller != true)
            .Select(o => JsonNode.Parse(KubernetesJson.Serialize(o)))
            .Append(JsonNode.Parse(KubernetesJson.Serialize(OwnerReference(new OwnerReferenceInfo(RolloutOwner.ApiVersion, RolloutOwner.Kind, owner.Name)))))
            .ToArray());
        await PatchReplicaSetAsync(adopt.Name, $"adopt replicaset {Ns}/{adopt.Name}",
            new JsonObject { ["metadata"] = new JsonObject { ["ownerReferences"] = references } }, rs.ResourceVersion, ct);
        Acknowledged("replicaset.adopt", adopt.Name);
        return true;
    }

    /// <summary>Creates the owner ConfigMap, or merge-patches its labels and data (guarded by its resourceVersion).</summary>
    private async Task<bool> WriteOwnerAsync(WriteOwnerConfigMap write, CancellationToken ct)
    {
        V1ConfigMap written;
        if (write.Create)
        {
            if (facts.Owner is not null) return false;
            var configMap = new V1ConfigMap
            {
                ApiVersion = "v1",
                Kind = "ConfigMap",
                Metadata = new V1ObjectMeta
                {
                    Name = write.Name, NamespaceProperty = Ns,
                    Labels = new Dictionary<string, string>(write.Labels), Annotations = new Dictionary<string, string>(write.Annotations),
                },
                Data = new Dictionary<string, string>(write.Data),
            };
            counter.Write();
            written = await WriteAsync(cache?.ConfigMaps, write.Name, $"create configmap {Ns}/{write.Name}",
                HttpMethod.Post, RawKubernetesRequests.Path("api/v1", Ns, "configmaps"), RequestBody.Of(configMap), RawKubernetesRequests.Json, ct);
        }
        else
        {
            var current = Owner();
            if (current.Data.Count == write.Data.Count && write.Data.All(p => current.Data.GetValueOrDefault(p.Key) == p.Value)) return false;
            var data = new JsonObject();
            foreach (var (key, value) in write.Data) data[key] = value;
            foreach (var stale in current.Data.Keys.Where(k => !write.Data.ContainsKey(k))) data[stale] = null;
            var patch = WithPrecondition(new JsonObject { ["data"] = data }, current.ResourceVersion);
            counter.Write();
            written = await MergePatchAsync(cache?.ConfigMaps, "api/v1", "configmaps", write.Name, $"update configmap {Ns}/{write.Name}", patch, ct);
        }
        facts.Owner = OwnerFacts.Of(written);
        facts.OwnerConfirmed = true;
        cache?.ConfigMaps.Upsert(Ns, write.Name, written);
        Acknowledged(write.Create ? "configmap.create" : "configmap.update", write.Name);
        return true;
    }

    private async Task<bool> DeleteOwnerAsync(DeleteOwnerConfigMap delete, CancellationToken ct)
    {
        if (facts.Owner is null) return false;
        // Background: the garbage collector removes whatever still names it as owner.
        var deleted = await DeleteAsync($"delete configmap {Ns}/{delete.Name}",
            c => client.CoreV1.DeleteNamespacedConfigMapAsync(delete.Name, Ns, propagationPolicy: "Background", cancellationToken: c), ct);
        cache?.ConfigMaps.Remove(Ns, delete.Name, resourceVersion: null);
        facts.Owner = null;
        if (deleted) Acknowledged("configmap.delete", delete.Name);
        return deleted;
    }

    /// <summary>
    /// Before a reference to the owner is written, reads the owner from the API server (not the watch cache), as the
    /// Kubernetes controllers re-check an owner before adopting: a cached owner deleted meanwhile has its uid in no
    /// live object, and the garbage collector would delete the ReplicaSet that names it. A changed owner is a conflict.
    /// </summary>
    private async Task ConfirmOwnerAsync(CancellationToken ct)
    {
        if (facts.OwnerConfirmed) return;
        var observed = Owner();
        var name = RolloutOwner.ConfigMapName(target.Name);
        var fresh = await KubernetesCalls.ReadOptionalAsync($"read configmap {Ns}/{name}",
            c => client.CoreV1.ReadNamespacedConfigMapAsync(name, Ns, cancellationToken: c), ct);
        if (fresh is not null && fresh.Metadata.Uid == observed.Uid && fresh.Metadata.DeletionTimestamp is null)
        {
            facts.OwnerConfirmed = true;
            return;
        }
        facts.Owner = fresh is null || fresh.Metadata.DeletionTimestamp is not null ? null : OwnerFacts.Of(fresh);
        if (fresh is null) cache?.ConfigMaps.Remove(Ns, name, resourceVersion: null);
        else cache?.ConfigMaps.Upsert(Ns, name, fresh);
        throw new ClusterCallException(ClusterCallFailure.Conflict, $"configmap {Ns}/{name} changed since it was observed");
    }

    private OwnerFacts Owner() =>
        facts.Owner ?? throw new ClusterCallException(ClusterCallFailure.NotFound, $"configmap {Ns}/{RolloutOwner.ConfigMapName(target.Name)} was not observed");

    /// <summary>A controller reference to the observed owner ConfigMap, with its real uid.</summary>
    private V1OwnerReference OwnerReference(OwnerReferenceInfo owner) => new()
    {
        ApiVersion = owner.ApiVersion, Kind = owner.Kind, Name = owner.Name, Uid = Owner().Uid,
        BlockOwnerDeletion = owner.BlockOwnerDeletion, Controller = owner.Controller,
    };

    private async Task<bool> SwitchServiceSelectorAsync(SwitchServiceSelector change, CancellationToken ct)
    {
        if (change.FromHash == change.ToHash) return false;
        var patch = new JsonObject { ["spec"] = new JsonObject { ["selector"] = new JsonObject { [ReplicaSetAnnotations.PodTemplateHashLabel] = change.ToHash } } };
        await PatchServiceAsync(change.Service, $"switch selector of service {Ns}/{change.Service}", patch, ct);
        Acknowledged("service.selector", change.Service);
        return true;
    }

    private async Task<bool> SetServiceAnnotationAsync(SetServiceAnnotation annotate, CancellationToken ct)
    {
        if (facts.ServiceAnnotations.TryGetValue(annotate.Service, out var annotations)
            && annotations.GetValueOrDefault(annotate.Key) == annotate.Value) return false;
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [annotate.Key] = annotate.Value } } };
        await PatchServiceAsync(annotate.Service, $"annotate service {Ns}/{annotate.Service}", patch, ct);
        Acknowledged("service.annotate", annotate.Service);
        return true;
    }

    private async Task<bool> SetWeightsAsync(SetVirtualServiceWeights weights, CancellationToken ct)
    {
        if (!facts.VirtualServices.TryGetValue($"{weights.Namespace}/{weights.VirtualService}", out var vs))
            throw new ClusterCallException(ClusterCallFailure.NotFound, $"virtualservice {weights.Namespace}/{weights.VirtualService} was not observed");
        var updated = IstioVirtualServices.WithWeights(vs, weights.Routes, weights.CanaryHost, weights.StableHost, weights.CanaryWeight, weights.StableWeight);
        if (updated is null) return false;
        counter.Write();
        // A full update carrying the observed resourceVersion, as Argo does: a concurrent edit is a 409, not lost.
        var stored = await IstioVirtualServices.ReplaceAsync(client, cache?.VirtualServices, updated, ct);
        facts.VirtualServices[$"{weights.Namespace}/{weights.VirtualService}"] = stored.Json;
        cache?.VirtualServices.Upsert(weights.Namespace, weights.VirtualService, stored);
        Acknowledged("virtualservice.update", weights.VirtualService);
        return true;
    }

    private async Task<bool> WriteDeploymentTemplateAsync(WriteDeploymentTemplate write, CancellationToken ct)
    {
        var patch = new JsonArray(new JsonObject { ["op"] = "replace", ["path"] = "/spec/template", ["value"] = write.Template.DeepClone() });
        counter.Write();
        var written = await KubernetesCalls.RunAsync($"write template of deployment {Ns}/{write.Deployment}",
            c => client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.JsonPatch), write.Deployment, Ns, cancellationToken: c), ct);
        cache?.Deployments.Upsert(Ns, write.Deployment, written);
        Acknowledged("deployment.template", write.Deployment);
        return true;
    }

    private async Task<bool> ScaleDeploymentAsync(ScaleDeployment scale, CancellationToken ct)
    {
        if (scale.From == scale.To) return false;
        var patch = WithPrecondition(new JsonObject { ["spec"] = new JsonObject { ["replicas"] = scale.To } }, facts.DeploymentResourceVersion);
        counter.Write();
        var scaled = await KubernetesCalls.RunAsync($"scale deployment {Ns}/{scale.Deployment}",
            c => client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), scale.Deployment, Ns, cancellationToken: c), ct);
        cache?.Deployments.Upsert(Ns, scale.Deployment, scaled);
        Acknowledged("deployment.scale", scale.Deployment);
        return true;
    }

    private async Task PatchReplicaSetAsync(string name, string what, JsonObject patch, string? resourceVersion, CancellationToken ct)
    {
        var body = WithPrecondition(patch, resourceVersion);
        counter.Write();
        var updated = await MergePatchAsync(cache?.ReplicaSets, "apis/apps/v1", "replicasets", name, what, body, ct);
        // Later actions of the same decision patch the same RS: carry its new version forward.
        facts.ReplicaSets[name] = V1ReplicaSetFacts.Of(updated);
        cache?.ReplicaSets.Upsert(Ns, name, updated);
    }

    private async Task PatchServiceAsync(string name, string what, JsonObject patch, CancellationToken ct)
    {
        facts.ServiceResourceVersions.TryGetValue(name, out var resourceVersion);
        var body = WithPrecondition(patch, resourceVersion);
        counter.Write();
        var updated = await MergePatchAsync(cache?.Services, "api/v1", "services", name, what, body, ct);
        facts.ServiceResourceVersions[name] = updated.Metadata.ResourceVersion;
        cache?.Services.Upsert(Ns, name, updated);
    }

    private void Acknowledged(string operation, string name) => counter.Acknowledged(target.Cluster, Ns, operation, name, time.GetUtcNow());

    private V1ReplicaSetFacts ReplicaSet(string name) =>
        facts.ReplicaSets.TryGetValue(name, out var rs)
            ? rs
            : throw new ClusterCallException(ClusterCallFailure.NotFound, $"replicaset {Ns}/{name} was not observed");

    /// <summary>A merge patch that names <c>metadata.resourceVersion</c> fails with 409 if the object changed since.</summary>
    private static JsonObject WithPrecondition(JsonObject patch, string? resourceVersion)
    {
        if (resourceVersion is null) return patch;
        if (patch["metadata"] is not JsonObject metadata) patch["metadata"] = metadata = new JsonObject();
        metadata["resourceVersion"] = resourceVersion;
        return patch;
    }
}
