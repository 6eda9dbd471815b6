using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;

namespace Coordinator.KubeSim.Store;

/// <summary>How dependents are treated when their owner is deleted.</summary>
public enum PropagationPolicy { Background, Foreground, Orphan }

/// <summary>
/// DELETE as the apiserver does it: preconditions, finalizers (an object with finalizers only gets a deletionTimestamp),
/// propagation policy (Foreground adds the foregroundDeletion finalizer the garbage collector works on; Background
/// removes the object and leaves its dependents to the collector; Orphan drops the dependents' ownerReferences),
/// namespace cascade, and a CRD's deletion taking its custom objects with it.
/// </summary>
internal sealed partial class ObjectStore
{
    public StoredObject Delete(ResourceType t, string ns, string name, PropagationPolicy policy, string? uidPrecondition = null, string? rvPrecondition = null)
    {
        lock (_gate)
        {
            var old = Find(t, ns, name) ?? throw KubeApiException.NotFound(t, name);
            if ((!string.IsNullOrEmpty(uidPrecondition) && uidPrecondition != old.Uid)
                || (!string.IsNullOrEmpty(rvPrecondition) && rvPrecondition != RvString(old.ResourceVersion)))
                throw KubeApiException.Conflict(t, name);
            if (t == ResourceCatalog.Namespaces)
            {
                DeleteNamespaceContents(name);
                return RemoveLocked(old);
            }
            if (t == ResourceCatalog.CustomResourceDefinitions)
            {
                StopServing(old);
                return RemoveLocked(old);
            }
            if (old.Deleting) return old;
            if (policy == PropagationPolicy.Orphan) OrphanDependents(old);
            var current = JsonFields.ParseObject(old.Json);
            var finalizers = JsonFields.Metadata(current)["finalizers"] as JsonArray;
            if (policy != PropagationPolicy.Foreground && finalizers is not { Count: > 0 }) return RemoveLocked(old);

            // Finalizers to wait for: mark the object deleted, the holders of the finalizers (the garbage collector for
            // foregroundDeletion) remove them, and the last removal completes the deletion (see UpdateLocked).
            var updated = (JsonObject)current.DeepClone();
            var meta = JsonFields.Metadata(updated);
            meta["deletionTimestamp"] = Now();
            meta["deletionGracePeriodSeconds"] = 0;
            if (policy == PropagationPolicy.Foreground && !HasFinalizer(meta, ForegroundFinalizer))
            {
                var list = meta["finalizers"] as JsonArray ?? [];
                list.Add(ForegroundFinalizer);
                meta["finalizers"] = list;
            }
            return UpdateLocked(t, old, current, updated, WriteMode.Internal);
        }
    }

    private StoredObject RemoveLocked(StoredObject old)
    {
        var obj = JsonFields.ParseObject(old.Json);
        var rv = _rv + 1;
        JsonFields.Metadata(obj)["resourceVersion"] = RvString(rv);
        return Commit(old.Type, obj, rv, WatchEventKind.Deleted);
    }

    private void DeleteNamespaceContents(string ns)
    {
        foreach (var table in _tables.Values)
        {
            foreach (var o in table.Values.Where(o => o.Namespace == ns && o.Type.Namespaced).ToList())
            {
                if (Find(o.Type, o.Namespace, o.Name) != null) RemoveLocked(o);
            }
        }
    }

    /// <summary>A CRD's deletion deletes every object of its resource (watchers see them go), then the resource is no longer served.</summary>
    private void StopServing(StoredObject crd)
    {
        var spec = JsonFields.Obj(JsonFields.ParseObject(crd.Json), "spec");
        var defined = Catalog.FindByGroupResource(JsonFields.Str(spec, "group") ?? "", JsonFields.Str(spec?["names"], "plural") ?? "");
        if (defined is not { IsDefinedByCrd: true }) return;
        if (_tables.TryGetValue(defined, out var table))
        {
            foreach (var o in table.Values.ToList()) RemoveLocked(o);
            _tables.Remove(defined);
        }
        Catalog.Remove(defined);
        _watch.EndWatches(defined);
    }

    private void OrphanDependents(StoredObject owner)
    {
        foreach (var table in _tables.Values)
        {
            foreach (var dependent in table.Values.Where(o => o.OwnerUids != null && Array.IndexOf(o.OwnerUids, owner.Uid) >= 0).ToList())
            {
                var current = JsonFields.ParseObject(dependent.Json);
                var updated = (JsonObject)current.DeepClone();
                if (JsonFields.Metadata(updated)["ownerReferences"] is JsonArray refs)
                {
                    foreach (var r in refs.Where(r => JsonFields.Str(r, "uid") == owner.Uid).ToList()) refs.Remove(r);
                    if (refs.Count == 0) JsonFields.Metadata(updated).Remove("ownerReferences");
                }
                UpdateLocked(dependent.Type, dependent, current, updated, WriteMode.Internal);
            }
        }
    }
}
