using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Coordinator.Benchmarks.Fleet;

/// <summary>
/// One cluster's side of the bare KubernetesClient loop: the kinds of write the coordinator made in a cluster during the
/// fleet run, issued one after the other with plain KubernetesClient calls against namespace baseline (a copy of the
/// seed, with an owner ConfigMap as the coordinator's). Objects to update are kept from the previous write's answer,
/// as the coordinator keeps them from its watch cache, so no read precedes a write. The objects a loop creates (its
/// owner ConfigMap, ReplicaSets, Events) are named with its protocol's prefix, so both loops write the same namespace.
/// </summary>
internal sealed class BaselineWrites(k8s.Kubernetes client, BaselineProtocol protocol) : IDisposable
{
    private const string Ns = FleetKubeSim.BaselineNamespace;
    private const string Deployment = "rollouts-demo";
    private readonly string _prefix = protocol == BaselineProtocol.Http2 ? "h2-" : "";
    private string Owner => _prefix + "rollouts-demo.rollout";
    private readonly List<V1ReplicaSet> _replicaSets = [];
    private V1ConfigMap _owner = null!;
    private V1PodTemplateSpec _template = null!;
    private JsonObject _virtualService = null!;
    private V1Service _canaryService = null!;
    private int _sequence;
    // Per object, not the sequence's parity: over a script of an even length, the write at the same place in the next
    // pass would set what the last pass left (a no-op, which the API server answers without an event and KubeSim's
    // controllers never see), while every write of the coordinator changes something.
    private int _releases;
    private int _weightChanges;

    /// <summary>Untimed: the owner ConfigMap, and the objects the loop updates; also opens the connection.</summary>
    public async Task PrepareAsync()
    {
        _owner = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = Owner, Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "baseline" } },
            Data = new Dictionary<string, string> { ["phase"] = "Healthy" },
        }, Ns);
        _template = (await client.AppsV1.ReadNamespacedDeploymentAsync(Deployment, Ns)).Spec.Template;
        _virtualService = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(
            await client.CustomObjects.GetNamespacedCustomObjectAsync("networking.istio.io", "v1alpha3", Ns, "virtualservices", Deployment)))!.AsObject();
        _canaryService = await client.CoreV1.ReadNamespacedServiceAsync("rollouts-demo-canary", Ns);
    }

    /// <summary>One write of the given verb and resource (a key of the coordinator's write counts).</summary>
    public async Task WriteAsync(string verb, string resource)
    {
        var n = ++_sequence;
        var tag = n.ToString(CultureInfo.InvariantCulture);
        switch (verb, resource)
        {
            case ("patch", "deployments"):
                await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(SetImagePatch.For(++_releases % 2 == 0 ? "argoproj/rollouts-demo:blue" : "argoproj/rollouts-demo:yellow"),
                    V1Patch.PatchType.StrategicMergePatch), Deployment, Ns);
                break;
            case ("create", "replicasets"):
                _replicaSets.Add(await client.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet(tag), Ns));
                break;
            case ("patch", "replicasets"):
                await PatchReplicaSetAsync(tag);
                break;
            case ("update", "replicasets"):
                var rs = _replicaSets.Count > 0 ? _replicaSets[^1] : throw new InvalidOperationException("no ReplicaSet to update");
                (rs.Metadata.Annotations ??= new Dictionary<string, string>())["baseline/seq"] = tag;
                _replicaSets[^1] = await client.AppsV1.ReplaceNamespacedReplicaSetAsync(rs, rs.Metadata.Name, Ns);
                break;
            case ("patch", "services"):
                await client.CoreV1.PatchNamespacedServiceAsync(new V1Patch(
                    "{\"spec\":{\"selector\":{\"app\":\"rollouts-demo\",\"rollouts-pod-template-hash\":\"" + Hash() + "\"}}}", V1Patch.PatchType.MergePatch),
                    n % 2 == 0 ? "rollouts-demo" : "rollouts-demo-canary", Ns);
                break;
            case ("update", "services"):
                _canaryService.Spec.Selector["rollouts-pod-template-hash"] = Hash();
                _canaryService = await client.CoreV1.ReplaceNamespacedServiceAsync(_canaryService, _canaryService.Metadata.Name, Ns);
                break;
            case ("patch", "virtualservices"):
                await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(Weights(++_weightChanges).ToJsonString(), V1Patch.PatchType.MergePatch),
                    "networking.istio.io", "v1alpha3", Ns, "virtualservices", Deployment);
                break;
            case ("update", "virtualservices"):
                SetWeights(_virtualService, ++_weightChanges % 2 == 0 ? 50 : 100);
                var replaced = await client.CustomObjects.ReplaceNamespacedCustomObjectAsync(_virtualService, "networking.istio.io", "v1alpha3", Ns, "virtualservices", Deployment);
                _virtualService = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(replaced))!.AsObject();
                break;
            case ("create", "events"):
                await client.CoreV1.CreateNamespacedEventAsync(Event(tag), Ns);
                break;
            case ("update", "configmaps"):
                _owner.Data["step"] = tag;
                _owner = await client.CoreV1.ReplaceNamespacedConfigMapAsync(_owner, Owner, Ns);
                break;
            case ("patch", "configmaps"):
                await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"step\":\"" + tag + "\"}}", V1Patch.PatchType.MergePatch), Owner, Ns);
                break;
            default:
                throw new NotSupportedException($"the baseline loop has no write for {verb} {resource}");
        }
    }

    public static bool Supports(string verb, string resource) => (verb, resource) is
        ("patch", "deployments") or ("create", "replicasets") or ("patch", "replicasets") or ("update", "replicasets")
        or ("patch", "services") or ("update", "services") or ("patch", "virtualservices") or ("update", "virtualservices")
        or ("create", "events") or ("update", "configmaps") or ("patch", "configmaps");

    public void Dispose() => client.Dispose();

    /// <summary>Scale the newest ReplicaSet up, then annotate and scale the one before down, as an update does.</summary>
    private async Task PatchReplicaSetAsync(string tag)
    {
        var newest = _replicaSets.Count > 0 ? _replicaSets[^1] : throw new InvalidOperationException("no ReplicaSet to patch");
        var previous = _replicaSets.Count > 1 ? _replicaSets[^2] : newest;
        var (target, patch) = (newest.Spec.Replicas ?? 0) == 0
            ? (newest, """{"spec":{"replicas":1}}""")
            : (previous.Metadata.Annotations?.ContainsKey("scale-down-deadline") == true || previous == newest
                ? (previous, previous == newest ? Annotation("baseline/seq", tag) : """{"spec":{"replicas":0}}""")
                : (previous, Annotation("scale-down-deadline", tag)));
        var patched = await client.AppsV1.PatchNamespacedReplicaSetAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), target.Metadata.Name, Ns);
        _replicaSets[_replicaSets.IndexOf(target)] = patched;
    }

    private static string Annotation(string key, string value) => "{\"metadata\":{\"annotations\":{\"" + key + "\":\"" + value + "\"}}}";

    private string Hash() => _replicaSets.Count > 0 ? _replicaSets[^1].Metadata.Labels["rollouts-pod-template-hash"] : "none";

    private V1ReplicaSet ReplicaSet(string tag)
    {
        var hash = _prefix + "b" + tag;
        var labels = new Dictionary<string, string> { ["app"] = "rollouts-demo", ["rollouts-pod-template-hash"] = hash };
        var template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = labels }, Spec = _template.Spec };
        return new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta
            {
                Name = $"{Deployment}-{hash}", Labels = labels,
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = Owner, Uid = _owner.Metadata.Uid, BlockOwnerDeletion = true, Controller = true }],
            },
            Spec = new V1ReplicaSetSpec { Replicas = 0, Selector = new V1LabelSelector { MatchLabels = labels }, Template = template },
        };
    }

    private static JsonObject Weights(int n)
    {
        var canary = n % 2 == 0 ? 50 : 100;
        return new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["http"] = new JsonArray(new JsonObject
                {
                    ["name"] = "primary",
                    ["route"] = new JsonArray(
                        new JsonObject { ["destination"] = new JsonObject { ["host"] = "rollouts-demo" }, ["weight"] = 100 - canary },
                        new JsonObject { ["destination"] = new JsonObject { ["host"] = "rollouts-demo-canary" }, ["weight"] = canary }),
                }),
            },
        };
    }

    /// <summary>The primary route's weights in a held VirtualService: stable first, canary second, as the seed has them.</summary>
    private static void SetWeights(JsonObject virtualService, int canary)
    {
        var routes = virtualService["spec"]!["http"]![0]!["route"]!.AsArray();
        routes[0]!["weight"] = 100 - canary;
        routes[1]!["weight"] = canary;
    }

    private Corev1Event Event(string tag) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"rollouts-demo.{_prefix}{tag}" },
        InvolvedObject = new V1ObjectReference { Kind = "Rollout", Name = "rollouts-demo", NamespaceProperty = Ns, ApiVersion = "argoproj.io/v1alpha1" },
        Reason = "RolloutStepCompleted", Message = $"Rollout step {tag} completed", Type = "Normal",
        Source = new V1EventSource { Component = "rollouts-controller" },
        FirstTimestamp = DateTime.UtcNow, LastTimestamp = DateTime.UtcNow, Count = 1,
    };
}
