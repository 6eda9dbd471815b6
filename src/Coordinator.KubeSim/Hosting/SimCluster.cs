using System.Text;
using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;
using Coordinator.KubeSim.Auth;
using Coordinator.KubeSim.Controllers;
using Coordinator.KubeSim.Faults;
using Coordinator.KubeSim.Patching;
using Coordinator.KubeSim.Seed;
using Coordinator.KubeSim.Store;
using Coordinator.KubeSim.Traffic;

namespace Coordinator.KubeSim.Hosting;

/// <summary>
/// One simulated cluster: its objects, controllers and faults. The C# accessors go through the same store as the
/// HTTP API (same validation, resourceVersions, watch events, controllers) but skip HTTP and fault injection.
/// Resources are named as kubectl accepts them: "deployments", "deploy", "Deployment", "virtualservices.networking.istio.io".
/// Errors throw <see cref="KubeApiException"/>.
/// </summary>
public sealed class SimCluster
{
    private readonly ClusterControllers _controllers;

    internal SimCluster(string name, string serverUrl, KubeSimOptions options, IReadOnlyDictionary<string, string>? labels = null)
    {
        Name = name;
        Labels = labels is { Count: > 0 } ? new Dictionary<string, string>(labels) : ClusterLabels.None;
        ServerUrl = serverUrl;
        Store = new ObjectStore(options.TimeProvider, options.WatchHistoryLimit);
        Auth = new ClusterAuth(Store);
        _controllers = new ClusterControllers(Store, options.PodReadyDelay, Faults, Auth.MintServiceAccountToken);
        GarbageCollector = new GarbageCollector(Store, options.GarbageCollectorSweepInterval);
        var controllersHook = Store.Changed;
        Store.Changed = record =>
        {
            controllersHook?.Invoke(record);
            GarbageCollector.OnChanged(record);
            Committed?.Invoke(new CommittedChange(record.Object.Type.Plural, record.Object.Namespace, record.Object.Name, record.Object.ResourceVersion));
        };
        Store.Create(ResourceCatalog.Namespaces, "", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } });
    }

    public string Name { get; }

    /// <summary>The cluster's own labels (e.g. region, tier), given when it was added; empty by default.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>http://127.0.0.1:&lt;port&gt;/clusters/&lt;name&gt;: use as kubeconfig server or KubernetesClientConfiguration.Host.</summary>
    public string ServerUrl { get; }

    public ClusterFaults Faults { get; } = new();

    /// <summary>The cluster's garbage collector (background, like kube-controller-manager's); tests await <see cref="GarbageCollector.WaitIdleAsync"/>.</summary>
    public GarbageCollector GarbageCollector { get; }

    /// <summary>The API requests this cluster has answered, by verb and resource.</summary>
    public RequestCounter Requests { get; } = new();

    /// <summary>
    /// Raised after every committed change, synchronously and under the cluster's lock, so a handler sees the cluster
    /// exactly as of that change (tests use it to check an invariant, such as the traffic view, at every moment rather
    /// than by sampling). Handlers may read (<see cref="Get"/>, <see cref="List"/>, <see cref="Traffic"/>) but must not
    /// write, block or throw.
    /// </summary>
    public event Action<CommittedChange>? Committed;

    internal ObjectStore Store { get; }

    internal ClusterAuth Auth { get; }

    /// <summary>True once <see cref="EnableRbac"/> ran: requests are authenticated and authorized like a real apiserver's.</summary>
    public bool RbacEnabled => Auth.Enabled;

    /// <summary>
    /// Turns on RBAC: bearer tokens are authenticated (the kubeconfig token "kubesim" is system:masters, ServiceAccount
    /// tokens are system:serviceaccount:NS:NAME; no token at all is cluster-admin too, because kubectl sends none over plain
    /// HTTP), every request is authorized against the
    /// cluster's Roles/ClusterRoles and bindings (the default bootstrap ones are created), and OwnerReferencesPermissionEnforcement
    /// applies. A denied request gets 403 Forbidden with the apiserver's message.
    /// </summary>
    public void EnableRbac() => Auth.Enable();

    /// <summary>Mints a bearer token for an existing ServiceAccount (like <c>kubectl create token</c>); 404 when it does not exist.</summary>
    public string CreateServiceAccountToken(string ns, string name) => Auth.MintServiceAccountToken(ns, name);

    /// <summary>The cluster's current resourceVersion (one counter for all objects).</summary>
    public long ResourceVersion => Store.CurrentResourceVersion;

    public TrafficSnapshot Traffic(string ns, string host) => TrafficView.Compute(Store, ns, host);

    /// <summary>Loads the seed scenario (namespace test with Istio injection, Deployment, two Services, VirtualService).</summary>
    public void LoadSeed() => SeedScenario.Load(Store);

    /// <summary>Completes when the controllers have no queued work (pods waiting for their readiness delay don't count).</summary>
    public Task WhenControllersIdleAsync() => _controllers.WhenIdleAsync();

    public JsonObject? Get(string resource, string? ns, string name)
    {
        var t = Store.Catalog.Resolve(resource);
        var o = Store.Get(t, NamespaceFor(t, ns), name);
        return o == null ? null : JsonFields.ParseObject(o.Json);
    }

    public IReadOnlyList<JsonObject> List(string resource, string? ns = null, string? labelSelector = null)
    {
        var t = Store.Catalog.Resolve(resource);
        return Store.List(t, t.Namespaced ? ns : null, LabelSelector.Parse(labelSelector), null, out _)
            .Select(o => JsonFields.ParseObject(o.Json)).ToList();
    }

    public JsonObject Create(string resource, string? ns, JsonObject obj)
    {
        var t = Store.Catalog.Resolve(resource);
        return JsonFields.ParseObject(Store.Create(t, NamespaceFor(t, ns), (JsonObject)obj.DeepClone()).Json);
    }

    public JsonObject Replace(string resource, string? ns, string name, JsonObject obj, bool status = false)
    {
        var t = Store.Catalog.Resolve(resource);
        var mode = status ? WriteMode.Status : WriteMode.Main;
        return JsonFields.ParseObject(Store.Replace(t, NamespaceFor(t, ns), name, (JsonObject)obj.DeepClone(), mode).Json);
    }

    public JsonObject Patch(string resource, string? ns, string name, string patch, PatchKind kind = PatchKind.Merge, bool status = false)
    {
        var t = Store.Catalog.Resolve(resource);
        var mode = status ? WriteMode.Status : WriteMode.Main;
        return JsonFields.ParseObject(Store.Patch(t, NamespaceFor(t, ns), name, kind, Encoding.UTF8.GetBytes(patch), mode).Json);
    }

    /// <summary>
    /// Applies a (multi-document) YAML manifest as <c>kubectl apply -f</c> would: each object is created, or replaces the
    /// existing one; its kind is resolved through what the cluster serves (a CRD's kinds once it is installed), its namespace
    /// from metadata.namespace, else <paramref name="defaultNamespace"/>. Returns "resource/name" per object.
    /// </summary>
    public IReadOnlyList<string> Apply(string yaml, string defaultNamespace = "default")
    {
        var applied = new List<string>();
        foreach (var doc in YamlToJson.ParseDocuments(yaml))
        {
            var apiVersion = JsonFields.Str(doc, "apiVersion") ?? "";
            var kind = JsonFields.Str(doc, "kind") ?? "";
            var t = Store.Catalog.FindByKind(apiVersion, kind)
                ?? throw KubeApiException.BadRequest($"no matches for kind \"{kind}\" in version \"{apiVersion}\"");
            var ns = NamespaceFor(t, JsonFields.Str(doc["metadata"], "namespace") ?? defaultNamespace);
            var name = JsonFields.Str(doc["metadata"], "name") ?? "";
            JsonFields.Metadata(doc).Remove("resourceVersion");
            if (Store.Get(t, ns, name) == null) Store.Create(t, ns, doc);
            else Store.Replace(t, ns, name, doc, WriteMode.Main);
            applied.Add($"{t.GroupResource}/{name}");
        }
        return applied;
    }

    /// <summary>Deletes the object; false when it did not exist.</summary>
    public bool Delete(string resource, string? ns, string name, PropagationPolicy policy = PropagationPolicy.Background)
    {
        var t = Store.Catalog.Resolve(resource);
        try
        {
            Store.Delete(t, NamespaceFor(t, ns), name, policy);
            return true;
        }
        catch (KubeApiException e) when (e.Code == 404)
        {
            return false;
        }
    }

    private static string NamespaceFor(ResourceType t, string? ns) =>
        t.Namespaced ? (string.IsNullOrEmpty(ns) ? "default" : ns) : "";
}

/// <summary>One committed change of a simulated cluster: the resource (plural), the object and its new resourceVersion.</summary>
public sealed record CommittedChange(string Resource, string Namespace, string Name, long ResourceVersion);
