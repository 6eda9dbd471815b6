using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;
using Coordinator.KubeSim.Patching;

namespace Coordinator.KubeSim.Store;

/// <summary>
/// An admission check that needs the request's user (OwnerReferencesPermissionEnforcement): called under the store's lock
/// with the stored object (null on create) and the object about to be committed; throws to reject the write.
/// </summary>
internal delegate void WriteCheck(JsonObject? old, JsonObject updated);

/// <summary>Create, replace and patch, with the apiserver's preconditions, defaulting, validation and generation rules.</summary>
internal sealed partial class ObjectStore
{
    public StoredObject Create(ResourceType t, string ns, JsonObject obj, WriteCheck? check = null)
    {
        lock (_gate) return CreateLocked(t, ns, obj, check);
    }

    private StoredObject CreateLocked(ResourceType t, string ns, JsonObject obj, WriteCheck? check)
    {
        obj = JsonFields.Ordered(obj, t.StorageApiVersion, t.Kind);
        var meta = JsonFields.Metadata(obj);
        if (t.Namespaced)
        {
            var declared = JsonFields.Str(meta, "namespace");
            if (!string.IsNullOrEmpty(declared) && declared != ns)
                throw KubeApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            if (Find(ResourceCatalog.Namespaces, "", ns) == null) throw KubeApiException.NotFound(ResourceCatalog.Namespaces, ns);
            meta["namespace"] = ns;
        }
        else
        {
            meta.Remove("namespace");
            ns = "";
        }

        var name = JsonFields.Str(meta, "name");
        if (string.IsNullOrEmpty(name))
        {
            var prefix = JsonFields.Str(meta, "generateName");
            if (string.IsNullOrEmpty(prefix))
                throw KubeApiException.Invalid(t, "", "metadata.name", "Required value: name or generateName is required");
            do name = prefix + NameGenerator.RandomSuffix(); while (Find(t, ns, name) != null);
            meta["name"] = name;
        }
        Validation.Validate(t, name, obj);
        if (Find(t, ns, name) != null) throw KubeApiException.AlreadyExists(t, name);

        foreach (var server in new[] { "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "managedFields", "selfLink" })
            meta.Remove(server);
        meta["uid"] = Guid.NewGuid().ToString();
        var rv = _rv + 1;
        meta["resourceVersion"] = RvString(rv);
        if (t.HasGeneration) meta["generation"] = 1;
        meta["creationTimestamp"] = Now();
        Admission.OnCreate(t, obj, this);
        check?.Invoke(null, obj);
        return Commit(t, obj, rv, WatchEventKind.Added);
    }

    /// <summary>PUT: a full replacement, guarded by metadata.resourceVersion when the body carries one.</summary>
    public StoredObject Replace(ResourceType t, string ns, string name, JsonObject obj, WriteMode mode, WriteCheck? check = null)
    {
        lock (_gate)
        {
            var old = Find(t, ns, name) ?? throw KubeApiException.NotFound(t, name);
            var bodyName = JsonFields.Str(obj["metadata"], "name");
            if (!string.IsNullOrEmpty(bodyName) && bodyName != name)
                throw KubeApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
            return UpdateLocked(t, old, JsonFields.ParseObject(old.Json), obj, mode, check);
        }
    }

    /// <summary>PATCH of any supported type; a server-side apply of a missing object creates it.</summary>
    public StoredObject Patch(ResourceType t, string ns, string name, PatchKind kind, byte[] body, WriteMode mode, WriteCheck? check = null)
    {
        lock (_gate)
        {
            var old = Find(t, ns, name);
            if (old == null)
            {
                if (kind != PatchKind.Apply || mode != WriteMode.Main) throw KubeApiException.NotFound(t, name);
                var created = PatchEngine.ParseApplyBody(body);
                JsonFields.Metadata(created)["name"] = name;
                return CreateLocked(t, ns, created, check);
            }
            var current = JsonFields.ParseObject(old.Json);
            var patched = PatchEngine.Apply(kind, (JsonObject)current.DeepClone(), body, t);
            return UpdateLocked(t, old, current, patched, mode, check);
        }
    }

    /// <summary>Read-modify-write for the simulator's own controllers; <paramref name="mutate"/> returns false to skip.</summary>
    public StoredObject? Mutate(ResourceType t, string ns, string name, Func<JsonObject, bool> mutate, WriteMode mode = WriteMode.Internal)
    {
        lock (_gate)
        {
            var old = Find(t, ns, name);
            if (old == null) return null;
            var current = JsonFields.ParseObject(old.Json);
            var updated = (JsonObject)current.DeepClone();
            return mutate(updated) ? UpdateLocked(t, old, current, updated, mode) : old;
        }
    }

    private StoredObject UpdateLocked(ResourceType t, StoredObject old, JsonObject current, JsonObject updated, WriteMode mode, WriteCheck? check = null)
    {
        var wanted = JsonFields.Str(updated["metadata"], "resourceVersion");
        if (!string.IsNullOrEmpty(wanted) && wanted != RvString(old.ResourceVersion)) throw KubeApiException.Conflict(t, old.Name);

        // current and updated are this write's own parsed copies (no caller uses them afterwards), so the status
        // stanza is moved rather than cloned. current keeps everything the spec comparison and admission look at.
        JsonObject result;
        if (mode == WriteMode.Status)
        {
            result = (JsonObject)current.DeepClone();
            result["status"] = Detach(updated, "status");
        }
        else
        {
            result = updated;
            if (mode == WriteMode.Main && t.HasStatusSubresource) result["status"] = Detach(current, "status");
        }
        result = JsonFields.Ordered(result, t.StorageApiVersion, t.Kind);
        var meta = JsonFields.Metadata(result);
        var oldMeta = JsonFields.Metadata(current);
        meta["name"] = old.Name;
        if (t.Namespaced) meta["namespace"] = old.Namespace;
        else meta.Remove("namespace");
        meta["uid"] = old.Uid;
        meta["creationTimestamp"] = oldMeta["creationTimestamp"]?.DeepClone();
        if (mode != WriteMode.Internal)
        {
            // Only a DELETE sets deletionTimestamp; clients can't set or clear it.
            meta.Remove("deletionTimestamp");
            meta.Remove("deletionGracePeriodSeconds");
            if (oldMeta["deletionTimestamp"] != null)
            {
                meta["deletionTimestamp"] = oldMeta["deletionTimestamp"]!.DeepClone();
                meta["deletionGracePeriodSeconds"] = oldMeta["deletionGracePeriodSeconds"]?.DeepClone() ?? 0;
            }
        }
        meta.Remove("generation");
        var spec = t.HasGeneration || SpecOnlyAdmission(t) ? SpecComparison.Compare(old.Json, current, result) : SpecDifference.Changed;
        if (t.HasGeneration)
        {
            var generation = JsonFields.Long(oldMeta, "generation") ?? 1;
            meta["generation"] = spec == SpecDifference.Changed ? generation + 1 : generation;
        }
        // The stored spec went through this admission and validation when it was written. When it comes back byte for
        // byte, defaulting would change nothing and validation would pass, and running them would only turn the spec
        // into a JsonNode tree (most writes are status and metadata writes: the controllers', a client's annotations).
        if (spec != SpecDifference.None || !SpecOnlyAdmission(t))
        {
            Admission.OnUpdate(t, current, result, Now());
            Validation.Validate(t, old.Name, result);
        }
        check?.Invoke(current, result);

        // A write that changes nothing is a no-op, like the apiserver: same resourceVersion, no watch event.
        // Serialized once, with the old resourceVersion; a real change gets the new one spliced into those bytes.
        meta["resourceVersion"] = RvString(old.ResourceVersion);
        var json = JsonFields.ToBytes(result);
        if (json.AsSpan().SequenceEqual(old.Json)) return old;
        var rv = _rv + 1;
        var rvString = RvString(rv);
        meta["resourceVersion"] = rvString;
        json = JsonFields.WithResourceVersion(json, rvString) ?? JsonFields.ToBytes(result);
        System.Diagnostics.Debug.Assert(json.AsSpan().SequenceEqual(JsonFields.ToBytes(result)), "resourceVersion splice changed the serialization");
        var committed = Commit(t, result, rv, WatchEventKind.Modified, json);
        // The last finalizer of an object being deleted is gone: the deletion completes.
        return committed.Deleting && meta["finalizers"] is not JsonArray { Count: > 0 } ? RemoveLocked(committed) : committed;
    }

    /// <summary>
    /// Types whose update admission (<see cref="Admission.OnUpdate"/>) and <see cref="Validation"/> read and write only the
    /// spec (everything outside metadata and status) and the immutable name.
    /// </summary>
    private static bool SpecOnlyAdmission(ResourceType t) =>
        t == ResourceCatalog.Deployments || t == ResourceCatalog.ReplicaSets || t == ResourceCatalog.Pods || t == ResourceCatalog.Services;

    /// <summary>Removes and returns a property's value (null when absent), so it can be re-parented without a deep clone.</summary>
    private static JsonNode? Detach(JsonObject obj, string property)
    {
        if (!obj.TryGetPropertyValue(property, out var value)) return null;
        obj.Remove(property);
        return value;
    }
}
