using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;
using Coordinator.KubeSim.Store;

namespace Coordinator.KubeSim.Controllers;

/// <summary>
/// The cluster's garbage collector, modelled on kube-controller-manager's: it runs beside the API (never inside a
/// request), keeps a graph of owner uid → dependents from the committed changes, and deletes a dependent once none of
/// its owners exists. An owner reference is resolved through its apiVersion and kind to a served resource and looked up
/// by name in the dependent's namespace (cluster-scoped owners cluster-wide): absent, or present with another uid, is
/// gone. A kind the cluster does not serve can't be resolved, so that dependent is kept (and retried) as the real
/// collector keeps it. Dangling references next to a live owner are removed; an owner in foreground deletion waits for
/// its blocking dependents, then loses its foregroundDeletion finalizer. Work comes from events (an owner deleted, a
/// dependent created or re-owned, a CRD installed) and a periodic sweep.
/// </summary>
public sealed class GarbageCollector : IDisposable
{
    private readonly object _gate = new();
    private readonly ObjectStore _store;
    private readonly ControllerQueue _queue;
    private readonly ITimer? _sweep;
    private readonly Dictionary<string, HashSet<WorkItem>> _dependents = new(StringComparer.Ordinal);
    private readonly Dictionary<WorkItem, string[]> _ownersOf = [];
    private readonly Dictionary<string, WorkItem> _deletingDependents = new(StringComparer.Ordinal);

    internal GarbageCollector(ObjectStore store, TimeSpan sweepInterval)
    {
        _store = store;
        _queue = new ControllerQueue(AttemptToDelete);
        if (sweepInterval > TimeSpan.Zero) _sweep = store.Time.CreateTimer(_ => Sweep(), null, sweepInterval, sweepInterval);
    }

    /// <summary>Completes when the collector has nothing queued: every dependent it was told about has been judged.</summary>
    public Task WaitIdleAsync() => _queue.WhenIdleAsync();

    /// <summary>Re-examines every object that has owners (what the periodic sweep does).</summary>
    public void Sweep()
    {
        List<WorkItem> all;
        lock (_gate) all = [.. _ownersOf.Keys, .. _deletingDependents.Values];
        foreach (var item in all) _queue.Enqueue(item);
    }

    public void Dispose() => _sweep?.Dispose();

    /// <summary>The store's change hook (under the store's lock): keep the graph, enqueue what the change may affect.</summary>
    internal void OnChanged(WatchRecord change)
    {
        var o = change.Object;
        var item = new WorkItem(o.Type, o.Namespace, o.Name);
        // Allocated only when there is work: most changes (status writes, patches) don't touch ownership.
        List<WorkItem>? toQueue = null;
        lock (_gate)
        {
            _ownersOf.TryGetValue(item, out var before);
            if (change.Kind == WatchEventKind.Deleted)
            {
                Unlink(item, before);
                if (_dependents.TryGetValue(o.Uid, out var orphans)) (toQueue ??= []).AddRange(orphans);
                foreach (var owner in o.OwnerUids ?? [])
                {
                    if (_deletingDependents.TryGetValue(owner, out var waiting)) (toQueue ??= []).Add(waiting);
                }
                _deletingDependents.Remove(o.Uid);
            }
            else
            {
                if (!SameOwners(before, o.OwnerUids))
                {
                    Unlink(item, before);
                    Link(item, o.OwnerUids);
                    if (o.OwnerUids != null) (toQueue ??= []).Add(item);
                }
                if (o.DeletingDependents && _deletingDependents.TryAdd(o.Uid, item)) (toQueue ??= []).Add(item);
            }
        }
        foreach (var q in toQueue ?? []) _queue.Enqueue(q);
        // A new resource may resolve owner references that could not be resolved until now.
        if (o.Type == ResourceCatalog.CustomResourceDefinitions && change.Kind == WatchEventKind.Added) Sweep();
    }

    private void Link(WorkItem item, string[]? owners)
    {
        if (owners == null) return;
        _ownersOf[item] = owners;
        foreach (var uid in owners)
        {
            if (!_dependents.TryGetValue(uid, out var set)) _dependents[uid] = set = [];
            set.Add(item);
        }
    }

    private void Unlink(WorkItem item, string[]? owners)
    {
        if (owners == null) return;
        _ownersOf.Remove(item);
        foreach (var uid in owners)
        {
            if (_dependents.TryGetValue(uid, out var set) && set.Remove(item) && set.Count == 0) _dependents.Remove(uid);
        }
    }

    private static bool SameOwners(string[]? a, string[]? b) => a == null ? b == null : b != null && a.AsSpan().SequenceEqual(b);

    private List<WorkItem> DependentsOf(string uid)
    {
        lock (_gate) return _dependents.TryGetValue(uid, out var set) ? [.. set] : [];
    }

    private void AttemptToDelete(WorkItem item)
    {
        var current = _store.Get(item.Type, item.Namespace, item.Name);
        if (current == null) return;
        if (current.DeletingDependents)
        {
            ProcessDeletingDependents(current);
            return;
        }
        if (current.OwnerUids == null || current.Deleting) return;
        var refs = JsonFields.Metadata(JsonFields.ParseObject(current.Json))["ownerReferences"] as JsonArray ?? [];
        var solid = 0;
        var dangling = new List<string>();
        var waiting = new List<string>();
        foreach (var r in refs.OfType<JsonObject>())
        {
            var owner = Resolve(current, r, out var resolved);
            // Unresolvable kind: the real collector gets a REST-mapping error and retries for ever; the dependent stays.
            if (!resolved) return;
            var uid = JsonFields.Str(r, "uid") ?? "";
            if (owner == null || owner.Uid != uid) dangling.Add(uid);
            else if (owner.DeletingDependents) waiting.Add(uid);
            else solid++;
        }
        if (solid > 0)
        {
            if (dangling.Count + waiting.Count > 0) RemoveReferences(current, [.. dangling, .. waiting]);
            return;
        }
        var policy = waiting.Count > 0 && DependentsOf(current.Uid).Count > 0 ? PropagationPolicy.Foreground : PolicyFromFinalizers(current);
        try
        {
            _store.Delete(current.Type, current.Namespace, current.Name, policy, uidPrecondition: current.Uid);
        }
        catch (KubeApiException e) when (e.Code is 404 or 409)
        {
            // Deleted or replaced meanwhile: its own change event brings it back if it still matters.
        }
    }

    /// <summary>Finds the owner a reference names; resolved is false when no served resource has that apiVersion and kind.</summary>
    private StoredObject? Resolve(StoredObject dependent, JsonObject reference, out bool resolved)
    {
        var type = _store.Catalog.FindByKind(JsonFields.Str(reference, "apiVersion") ?? "", JsonFields.Str(reference, "kind") ?? "");
        resolved = type != null && (type.Namespaced ? dependent.Type.Namespaced : true);
        if (!resolved) return null;
        return _store.Get(type!, type!.Namespaced ? dependent.Namespace : "", JsonFields.Str(reference, "name") ?? "");
    }

    private static PropagationPolicy PolicyFromFinalizers(StoredObject o)
    {
        var meta = JsonFields.Metadata(JsonFields.ParseObject(o.Json));
        if (ObjectStore.HasFinalizer(meta, ObjectStore.OrphanFinalizer)) return PropagationPolicy.Orphan;
        return ObjectStore.HasFinalizer(meta, ObjectStore.ForegroundFinalizer) ? PropagationPolicy.Foreground : PropagationPolicy.Background;
    }

    /// <summary>An owner deleted in the foreground: its blocking dependents go first, then its finalizer (and so the owner).</summary>
    private void ProcessDeletingDependents(StoredObject owner)
    {
        var blocking = DependentsOf(owner.Uid)
            .Select(d => _store.Get(d.Type, d.Namespace, d.Name))
            .Where(d => d != null && d.BlockingOwnerUids != null && Array.IndexOf(d.BlockingOwnerUids, owner.Uid) >= 0)
            .ToList();
        foreach (var dependent in DependentsOf(owner.Uid)) _queue.Enqueue(dependent);
        if (blocking.Count > 0) return;
        _store.Mutate(owner.Type, owner.Namespace, owner.Name, o =>
        {
            var meta = JsonFields.Metadata(o);
            if (JsonFields.Str(meta, "uid") != owner.Uid || meta["finalizers"] is not JsonArray finalizers) return false;
            foreach (var f in finalizers.Where(f => f?.ToString() == ObjectStore.ForegroundFinalizer).ToList()) finalizers.Remove(f);
            if (finalizers.Count == 0) meta.Remove("finalizers");
            return true;
        });
    }

    private void RemoveReferences(StoredObject dependent, List<string> uids) =>
        _store.Mutate(dependent.Type, dependent.Namespace, dependent.Name, o =>
        {
            var meta = JsonFields.Metadata(o);
            if (JsonFields.Str(meta, "uid") != dependent.Uid || meta["ownerReferences"] is not JsonArray refs) return false;
            foreach (var r in refs.Where(r => uids.Contains(JsonFields.Str(r, "uid") ?? "")).ToList()) refs.Remove(r);
            if (refs.Count == 0) meta.Remove("ownerReferences");
            return true;
        });
}
