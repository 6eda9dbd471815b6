using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Domain.Observation;
using Coordinator.Domain.Ports;
using Coordinator.Domain.State;
using Coordinator.Kubernetes.Watching;
using k8s;
using k8s.Models;

namespace Coordinator.Kubernetes.Rollouts;

/// <summary>
/// Gathers what the planner needs about one Rollout: the workloadRef Deployment, the Rollout's ReplicaSets, the
/// stable and canary Services, the referenced VirtualServices and the owner ConfigMap — read from the API server in parallel, or taken
/// from a cluster's watch cache.
/// </summary>
internal static class RolloutObserver
{
    /// <summary>Reads the objects (six calls for the seed) and remembers what it read in <paramref name="cache"/>, if any.</summary>
    public static async Task<Observed> ReadAsync(IKubernetes client, ClusterCache? cache, RolloutTarget target, RolloutSpec spec, CancellationToken ct)
    {
        var ns = target.Namespace;
        var deploymentName = spec.WorkloadRef?.Name;

        var deploymentTask = deploymentName is null
            ? Task.FromResult<V1Deployment?>(null)
            : KubernetesCalls.ReadOptionalAsync($"read deployment {ns}/{deploymentName}",
                c => client.AppsV1.ReadNamespacedDeploymentAsync(deploymentName, ns, cancellationToken: c), ct);
        var replicaSetsTask = KubernetesCalls.RunAsync($"list replicasets in {ns}",
            c => client.AppsV1.ListNamespacedReplicaSetAsync(ns, labelSelector: ReplicaSetAnnotations.PodTemplateHashLabel, cancellationToken: c), ct);
        var servicesTask = Task.WhenAll(ServiceNames(spec).Select(name => KubernetesCalls.ReadOptionalAsync($"read service {ns}/{name}",
            c => client.CoreV1.ReadNamespacedServiceAsync(name, ns, cancellationToken: c), ct)));
        var virtualServicesTask = Task.WhenAll(VirtualServiceRefs(spec, ns).Select(r => IstioVirtualServices.ReadAsync(client, r.Namespace, r.Name, ct)));
        var ownerName = RolloutOwner.ConfigMapName(target.Name);
        var ownerTask = KubernetesCalls.ReadOptionalAsync($"read configmap {ns}/{ownerName}",
            c => client.CoreV1.ReadNamespacedConfigMapAsync(ownerName, ns, cancellationToken: c), ct);

        await Task.WhenAll(deploymentTask, replicaSetsTask, servicesTask, virtualServicesTask, ownerTask);

        var (deployment, replicaSets, services) = (deploymentTask.Result, replicaSetsTask.Result.Items, servicesTask.Result.OfType<V1Service>().ToList());
        var virtualServices = virtualServicesTask.Result.OfType<JsonElement>().ToList();
        var owner = ownerTask.Result;
        if (cache is not null) Remember(cache, deployment, replicaSets, services, virtualServices, owner);
        return Build(target, deployment, replicaSets, services, virtualServices, owner, previous: null);
    }

    /// <summary>
    /// The same look, answered by a synced watch cache without any API call. A cached object is the same instance until
    /// the cluster changes it, so the templates parsed by <paramref name="previous"/> for the same objects are reused.
    /// </summary>
    public static Observed FromCache(ClusterCache cache, RolloutTarget target, RolloutSpec spec, ObservedObjects? previous)
    {
        var ns = target.Namespace;
        var deployment = spec.WorkloadRef?.Name is { } name ? cache.Deployments.Get(ns, name) : null;
        var services = ServiceNames(spec).Select(s => cache.Services.Get(ns, s)).OfType<V1Service>();
        // A cached VirtualService is shared by every look, read-only: a weight change makes its own tree to write.
        var virtualServices = VirtualServiceRefs(spec, ns).Select(r => cache.VirtualServices.Get(r.Namespace, r.Name))
            .OfType<CustomObject>().Select(vs => vs.Json);
        var owner = cache.ConfigMaps.Get(ns, RolloutOwner.ConfigMapName(target.Name));
        return Build(target, deployment, cache.ReplicaSets.InNamespace(ns), services, virtualServices, owner, previous);
    }

    private static void Remember(ClusterCache cache, V1Deployment? deployment, IEnumerable<V1ReplicaSet> replicaSets,
        IEnumerable<V1Service> services, IEnumerable<JsonElement> virtualServices, V1ConfigMap? owner)
    {
        if (owner is not null) cache.ConfigMaps.Upsert(owner.Metadata.NamespaceProperty, owner.Metadata.Name, owner);
        if (deployment is not null) cache.Deployments.Upsert(deployment.Metadata.NamespaceProperty, deployment.Metadata.Name, deployment);
        foreach (var rs in replicaSets) cache.ReplicaSets.Upsert(rs.Metadata.NamespaceProperty, rs.Metadata.Name, rs);
        foreach (var service in services) cache.Services.Upsert(service.Metadata.NamespaceProperty, service.Metadata.Name, service);
        foreach (var vs in virtualServices.Select(json => new CustomObject(json)))
            cache.VirtualServices.Upsert(vs.Namespace ?? "", vs.Name ?? "", vs);
    }

    private static Observed Build(RolloutTarget target, V1Deployment? deployment, IEnumerable<V1ReplicaSet> allReplicaSets,
        IEnumerable<V1Service> foundServices, IEnumerable<JsonElement> foundVirtualServices, V1ConfigMap? owner, ObservedObjects? previous)
    {
        var facts = new ObservedObjects
        {
            DeploymentResourceVersion = deployment?.Metadata.ResourceVersion,
        };
        if (owner is not null) facts.Owner = new OwnerFacts(owner.Metadata.Name, owner.Metadata.Uid, owner.Metadata.ResourceVersion, ReadOnlyViews.Of(owner.Data));
        var replicaSets = new List<ObservedReplicaSet>();
        foreach (var rs in allReplicaSets.Where(rs => IsOwnedBy(rs, target.Name)).OrderBy(rs => rs.Metadata.Name, StringComparer.Ordinal))
        {
            replicaSets.Add(ToObserved(rs, Template(rs.Metadata, rs.Spec.Template, previous, facts)));
            facts.ReplicaSets[rs.Metadata.Name] = V1ReplicaSetFacts.Of(rs);
        }

        var services = new List<ObservedService>();
        foreach (var service in foundServices)
        {
            services.Add(new ObservedService
            {
                Name = service.Metadata.Name,
                Selector = ReadOnlyViews.Of(service.Spec?.Selector),
                Annotations = ReadOnlyViews.Of(service.Metadata.Annotations),
            });
            facts.ServiceResourceVersions[service.Metadata.Name] = service.Metadata.ResourceVersion;
            facts.ServiceAnnotations[service.Metadata.Name] = services[^1].Annotations;
        }

        var virtualServices = new List<ObservedVirtualService>();
        foreach (var vs in foundVirtualServices)
        {
            var observed = IstioVirtualServices.ToObserved(vs);
            virtualServices.Add(observed);
            facts.VirtualServices[$"{observed.Namespace}/{observed.Name}"] = vs;
        }

        var observation = new ClusterObservation
        {
            RolloutName = target.Name,
            Namespace = target.Namespace,
            Deployment = deployment is null ? null : ToObserved(deployment, Template(deployment.Metadata, deployment.Spec.Template, previous, facts)!, ReadOnlyViews.Of(deployment.Spec.Selector?.MatchLabels)),
            ReplicaSets = replicaSets,
            Owner = owner is null ? null : new ObservedOwner
            {
                Name = owner.Metadata.Name,
                Uid = owner.Metadata.Uid ?? "",
                Labels = ReadOnlyViews.Of(owner.Metadata.Labels),
                Data = ReadOnlyViews.Of(owner.Data),
            },
            Services = services,
            VirtualServices = virtualServices,
        };
        return new Observed(observation, facts);
    }

    private static IEnumerable<string> ServiceNames(RolloutSpec spec)
    {
        var canary = spec.Strategy.Canary;
        return new[] { canary?.StableService, canary?.CanaryService }.Where(n => !string.IsNullOrEmpty(n)).Distinct().Cast<string>();
    }

    /// <summary>The VirtualServices named by the spec; <c>name.namespace</c> selects another namespace (§1.2).</summary>
    internal static IEnumerable<(string Namespace, string Name)> VirtualServiceRefs(RolloutSpec spec, string defaultNamespace)
    {
        var istio = spec.Strategy.Canary?.TrafficRouting?.Istio;
        if (istio is null) yield break;
        var refs = istio.VirtualService is { } single ? [single] : istio.VirtualServices;
        foreach (var vs in refs)
        {
            if (string.IsNullOrEmpty(vs.Name)) continue;
            yield return IstioVirtualServices.SplitName(vs.Name, defaultNamespace);
        }
    }

    private static bool IsOwnedBy(V1ReplicaSet rs, string rollout) => Controller(rs) is { } owner && IsRolloutOwner(owner, rollout);

    /// <summary>
    /// An owner reference that makes an object part of <paramref name="rollout"/>: its owner ConfigMap, or — for
    /// ReplicaSets created before the ConfigMap owner existed, which are then adopted — an argoproj Rollout of that name.
    /// </summary>
    internal static bool IsRolloutOwner(V1OwnerReference owner, string rollout) =>
        (owner.Kind == RolloutOwner.Kind && owner.ApiVersion == RolloutOwner.ApiVersion && owner.Name == RolloutOwner.ConfigMapName(rollout))
        || (owner.Kind == "Rollout" && owner.ApiVersion?.StartsWith("argoproj.io/", StringComparison.Ordinal) == true && owner.Name == rollout);

    private static V1OwnerReference? Controller(V1ReplicaSet rs) => rs.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);

    private static ObservedDeployment ToObserved(V1Deployment deployment, JsonObject template, IReadOnlyDictionary<string, string> selector) => new()
    {
        Name = deployment.Metadata.Name,
        Generation = deployment.Metadata.Generation ?? 0,
        Replicas = deployment.Spec.Replicas,
        ReadyReplicas = deployment.Status?.ReadyReplicas ?? 0,
        AvailableReplicas = deployment.Status?.AvailableReplicas ?? 0,
        Template = template,
        SelectorMatchLabels = selector,
        ResourceVersion = deployment.Metadata.ResourceVersion,
    };

    private static ObservedReplicaSet ToObserved(V1ReplicaSet rs, JsonObject? template) => new()
    {
        Name = rs.Metadata.Name,
        PodTemplateHash = rs.Metadata.Labels?.TryGetValue(ReplicaSetAnnotations.PodTemplateHashLabel, out var hash) == true ? hash : "",
        Revision = ReplicaSetAnnotations.ParseRevision(Annotation(rs.Metadata, ReplicaSetAnnotations.Revision)),
        Replicas = rs.Spec.Replicas ?? 1,
        StatusReplicas = rs.Status?.Replicas ?? 0,
        ReadyReplicas = rs.Status?.ReadyReplicas ?? 0,
        AvailableReplicas = rs.Status?.AvailableReplicas ?? 0,
        ScaleDownDeadline = ReplicaSetAnnotations.ParseScaleDownDeadline(Annotation(rs.Metadata, ReplicaSetAnnotations.ScaleDownDeadline)),
        CreationTimestamp = rs.Metadata.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : default,
        EphemeralMetadata = Annotation(rs.Metadata, ReplicaSetAnnotations.EphemeralMetadata),
        Template = template,
        ControllerUid = Controller(rs)?.Uid,
    };

    /// <summary>
    /// The template as the planner reads it: the previous look's tree while the cache holds the same object, else a new
    /// one. A tree made per look was kept by the grain until its next look, so every garbage collection copied a
    /// thousand rollouts' fresh templates to the next generation: reusing them took the 1,000-rollout step-lag p99 from
    /// 75-139 ms to 45-80 ms (docs/benchmarks.md, seventh session). A new tree is the one other Rollouts already have for
    /// the same template, when there is one (<see cref="ToJson"/>).
    /// </summary>
    /// <remarks>
    /// A new version of the object with the same uid and generation has the same template (the API server bumps
    /// <c>metadata.generation</c> on every change of the spec, the template included): its tree is reused too. Most watch
    /// events of a ReplicaSet during an update are its status (the replica counts), each a new cached instance.
    /// </remarks>
    private static JsonObject? Template(V1ObjectMeta meta, V1PodTemplateSpec? template, ObservedObjects? previous, ObservedObjects facts)
    {
        if (template is null) return null;
        (string, long)? version = meta.Uid is { } uid && meta.Generation is { } generation ? (uid, generation) : null;
        JsonObject? tree = null;
        if (previous is not null && !previous.Templates.TryGetValue(template, out tree) && version is { } known)
            previous.TemplateVersions.TryGetValue(known, out tree);
        tree ??= ToJson(template);
        facts.Templates[template] = tree;
        if (version is { } key) facts.TemplateVersions[key] = tree;
        return tree;
    }

    /// <summary>
    /// Serialized straight into a tree (KubernetesClient's own <c>Serialize</c> makes a string first), the one other
    /// Rollouts already have for the same template when there is one.
    /// </summary>
    internal static JsonObject ToJson(V1PodTemplateSpec template) =>
        Json.SharedJsonTree.SerializeToSharedObject(template, KubernetesJsonOptions.Options);

    private static string? Annotation(V1ObjectMeta meta, string key) =>
        meta.Annotations?.TryGetValue(key, out var value) == true ? value : null;
}
