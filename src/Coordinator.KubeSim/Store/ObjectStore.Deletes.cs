using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;

namespace Coordinator.KubeSim.Store;

/// <summary>How dependents are treated when their owner is deleted.</summary>
public enum PropagationPolicy { Background, Foreground, Orphan }

/// <summary>Delete with preconditions, namespace cascade and ownerReference garbage collection.</summary>
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
            if (policy == PropagationPolicy.Orphan)
            {
                OrphanDependents(old);
                return RemoveLocked(old);
            }
            if (policy == PropagationPolicy.Foreground)
            {
                DeleteDependents(old);
                return RemoveLocked(old);
            }
            // Background: the owner goes first, the garbage collector follows (synchronously here).
            var deleted = RemoveLocked(old);
            DeleteDependents(old);
            return deleted;
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

    private List<StoredObject> DependentsOf(StoredObject owner)
    {
        var result = new List<StoredObject>();
        foreach (var table in _tables.Values)
        {
            foreach (var o in table.Values)
            {
                if (o.OwnerUids != null && Array.IndexOf(o.OwnerUids, owner.Uid) >= 0 && (!owner.Type.Namespaced || o.Namespace == owner.Namespace))
                    result.Add(o);
            }
        }
        return result;
    }

    /// <summary>Deletes dependents (recursively) unless another owner of theirs is still alive.</summary>
    private void DeleteDependents(StoredObject owner)
    {
        foreach (var dependent in DependentsOf(owner))
        {
            if (Find(dependent.Type, dependent.Namespace, dependent.Name) is not { } current) continue;
            if (current.OwnerUids!.Any(uid => uid != owner.Uid && OwnerExists(uid))) continue;
            RemoveLocked(current);
            DeleteDependents(current);
        }
    }

    private bool OwnerExists(string uid)
    {
        foreach (var table in _tables.Values)
        {
            foreach (var o in table.Values)
            {
                if (o.Uid == uid) return true;
            }
        }
        return false;
    }

    private void OrphanDependents(StoredObject owner)
    {
        foreach (var dependent in DependentsOf(owner))
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
