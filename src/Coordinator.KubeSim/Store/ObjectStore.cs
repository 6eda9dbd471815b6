using System.Globalization;
using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;

namespace Coordinator.KubeSim.Store;

/// <summary>How a write treats the status stanza, like the apiserver's main vs. /status REST strategies.</summary>
internal enum WriteMode
{
    /// <summary>Main resource: status changes are ignored for types with a status subresource.</summary>
    Main,
    /// <summary>/status: only status changes.</summary>
    Status,
    /// <summary>The simulator's own controllers: anything may change.</summary>
    Internal,
}

/// <summary>
/// All objects of one simulated cluster. One lock per cluster; one monotonic resourceVersion counter; every
/// committed change goes to the watch history and to the controllers' hook. Split in partial files by concern.
/// </summary>
internal sealed partial class ObjectStore
{
    private readonly object _gate = new();
    private readonly Dictionary<ResourceType, Dictionary<(string Ns, string Name), StoredObject>> _tables = [];
    private readonly TimeProvider _time;
    private readonly WatchHub _watch;
    private HashSet<string>? _clusterIps;
    private long _rv;

    public ObjectStore(TimeProvider time, int historyLimit)
    {
        _time = time;
        _watch = new WatchHub(historyLimit);
    }

    /// <summary>What this cluster serves: the built-in resources and those of its CustomResourceDefinitions.</summary>
    public ClusterCatalog Catalog { get; } = new();

    /// <summary>Called (under the lock) after every committed change; must only enqueue work.</summary>
    public Action<WatchRecord>? Changed { get; set; }

    public TimeProvider Time => _time;

    public long CurrentResourceVersion
    {
        get { lock (_gate) return _rv; }
    }

    public StoredObject? Get(ResourceType t, string ns, string name)
    {
        lock (_gate) return Find(t, ns, name);
    }

    public List<StoredObject> List(ResourceType t, string? ns, LabelSelector? labels, FieldSelector? fields, out long listRv)
    {
        var result = new List<StoredObject>();
        lock (_gate)
        {
            listRv = _rv;
            if (!_tables.TryGetValue(t, out var table)) return result;
            foreach (var o in table.Values)
            {
                if ((ns == null || o.Namespace == ns) && (labels == null || labels.Matches(o.Labels)) && (fields == null || fields.Matches(o)))
                    result.Add(o);
            }
        }
        result.Sort(static (a, b) =>
        {
            var c = string.CompareOrdinal(a.Namespace, b.Namespace);
            return c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
        });
        return result;
    }

    /// <summary>Throws 410 Expired when a list asks for an exact resourceVersion the history no longer covers.</summary>
    public void EnsureNotExpired(long rv)
    {
        lock (_gate)
        {
            if (_watch.IsExpired(rv))
                throw new KubeApiException(410, "Expired", $"too old resource version: {rv} ({_watch.OldestRetained})");
        }
    }

    /// <summary>
    /// Starts a watch: atomically collects the events to send first (current objects as ADDED when
    /// <paramref name="sinceRv"/> is null, else retained history after it) and registers for live ones.
    /// </summary>
    public Watcher Watch(WatchFilter filter, long? sinceRv, List<WatchRecord> initial)
    {
        lock (_gate)
        {
            if (sinceRv is long rv) return _watch.Subscribe(filter, rv, _rv, initial);
            if (_tables.TryGetValue(filter.Type, out var table))
            {
                foreach (var o in table.Values)
                {
                    if (filter.Matches(o)) initial.Add(new WatchRecord(WatchEventKind.Added, o));
                }
            }
            return _watch.Subscribe(filter, _rv, _rv, []);
        }
    }

    /// <summary>Adds this cluster's open watches, by resource, to <paramref name="byResource"/>.</summary>
    public void CountWatches(Dictionary<string, int> byResource)
    {
        lock (_gate) _watch.CountWatchers(byResource);
    }

    public void StopWatch(Watcher watcher)
    {
        lock (_gate) _watch.Unsubscribe(watcher);
        watcher.Events.Writer.TryComplete();
    }

    internal bool NamespaceHasSidecarInjection(string? ns) =>
        ns != null && Find(ResourceCatalog.Namespaces, "", ns)?.Label("istio-injection") == "enabled";

    /// <summary>A free address in 10.96.0.0/12, the kubeadm default service range.</summary>
    internal string AllocateClusterIp()
    {
        _clusterIps ??= [];
        while (true)
        {
            var n = Random.Shared.Next(1, (1 << 20) - 1);
            var ip = $"10.{96 + (n >> 16)}.{(n >> 8) & 0xff}.{n & 0xff}";
            if (_clusterIps.Add(ip)) return ip;
        }
    }

    private StoredObject? Find(ResourceType t, string ns, string name) =>
        _tables.TryGetValue(t, out var table) && table.TryGetValue((ns, name), out var o) ? o : null;

    private string Now() => _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>Stores the object (whose metadata.resourceVersion is already set to <paramref name="rv"/>) and publishes the change.</summary>
    /// <param name="json">The object already serialized (exactly <c>JsonFields.ToBytes(obj)</c>), or null to serialize it here.</param>
    private StoredObject Commit(ResourceType t, JsonObject obj, long rv, WatchEventKind kind, byte[]? json = null)
    {
        var meta = JsonFields.Metadata(obj);
        var stored = Snapshot(t, obj, meta, rv, json ?? JsonFields.ToBytes(obj));
        if (!_tables.TryGetValue(t, out var table)) _tables[t] = table = [];
        if (kind == WatchEventKind.Deleted) table.Remove((stored.Namespace, stored.Name));
        else table[(stored.Namespace, stored.Name)] = stored;
        _rv = rv;
        if (t == ResourceCatalog.CustomResourceDefinitions && kind != WatchEventKind.Deleted) ServeDefinedResource(obj);
        var record = new WatchRecord(kind, stored);
        _watch.Publish(record);
        Changed?.Invoke(record);
        return stored;
    }

    /// <summary>From the moment a CRD is stored (Established), its resource is served; an update changes it in place.</summary>
    private void ServeDefinedResource(JsonObject crd)
    {
        var defined = CrdDefinition.ToResourceType(crd);
        if (defined.Versions.Length > 0) Catalog.AddOrUpdate(defined);
    }

    private static StoredObject Snapshot(ResourceType t, JsonObject obj, JsonObject meta, long rv, byte[] json)
    {
        string[]? owners = null;
        List<string>? blocking = null;
        string? controller = null, controllerKind = null, controllerName = null;
        if (meta["ownerReferences"] is JsonArray refs && refs.Count > 0)
        {
            owners = new string[refs.Count];
            for (var i = 0; i < refs.Count; i++)
            {
                owners[i] = JsonFields.Str(refs[i], "uid") ?? "";
                if (refs[i]?["blockOwnerDeletion"] is JsonValue b && b.TryGetValue<bool>(out var blocks) && blocks) (blocking ??= []).Add(owners[i]);
                if (refs[i]?["controller"] is JsonValue c && c.TryGetValue<bool>(out var isController) && isController)
                {
                    controller = owners[i];
                    controllerKind = JsonFields.Str(refs[i], "kind");
                    controllerName = JsonFields.Str(refs[i], "name");
                }
            }
        }
        return new StoredObject
        {
            Type = t,
            Namespace = JsonFields.Str(meta, "namespace") ?? "",
            Name = JsonFields.Str(meta, "name") ?? "",
            Uid = JsonFields.Str(meta, "uid") ?? "",
            ResourceVersion = rv,
            Json = json,
            Labels = JsonFields.StringMap(meta["labels"]),
            OwnerUids = owners,
            ControllerOwnerUid = controller,
            ControllerOwnerKind = controllerKind,
            ControllerOwnerName = controllerName,
            BlockingOwnerUids = blocking?.ToArray(),
            Deleting = meta["deletionTimestamp"] != null,
            DeletingDependents = meta["deletionTimestamp"] != null && HasFinalizer(meta, ForegroundFinalizer),
            Generation = t.HasGeneration ? JsonFields.Long(meta, "generation") ?? 0 : 0,
            ObservedGeneration = t.HasGeneration ? JsonFields.Long(obj["status"], "observedGeneration") ?? 0 : 0,
        };
    }

    internal const string ForegroundFinalizer = "foregroundDeletion";
    internal const string OrphanFinalizer = "orphan";

    internal static bool HasFinalizer(JsonObject meta, string finalizer) =>
        meta["finalizers"] is JsonArray f && f.Any(x => x?.GetValueKind() == System.Text.Json.JsonValueKind.String && x.GetValue<string>() == finalizer);

    private static string RvString(long rv) => rv.ToString(CultureInfo.InvariantCulture);
}
