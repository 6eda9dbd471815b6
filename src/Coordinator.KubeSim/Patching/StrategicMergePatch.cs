using System.Text.Json.Nodes;

namespace Coordinator.KubeSim.Patching;

/// <summary>
/// Kubernetes strategic merge patch for the built-in types: lists with a patch merge key (containers by name,
/// ports by containerPort/port, volumeMounts by mountPath, ...) merge element-wise, other lists replace.
/// Directives: <c>$patch: replace|delete|merge</c>, <c>$setElementOrder/&lt;list&gt;</c>, <c>$retainKeys</c>,
/// <c>$deleteFromPrimitiveList/&lt;list&gt;</c>. Merge keys are chosen by field name, not by the OpenAPI schema.
/// </summary>
internal static class StrategicMergePatch
{
    private const string SetOrderPrefix = "$setElementOrder/";
    private const string DeletePrimitivePrefix = "$deleteFromPrimitiveList/";

    /// <summary>Lists of primitives that merge as sets instead of being replaced.</summary>
    private static readonly HashSet<string> PrimitiveMergeLists = ["finalizers"];

    public static JsonObject Apply(JsonObject target, JsonObject patch) => MergeMap(target, patch);

    private static string? MergeKey(string field, JsonArray patchList, JsonArray? targetList)
    {
        switch (field)
        {
            case "containers" or "initContainers" or "ephemeralContainers" or "env" or "volumes" or "imagePullSecrets":
                return "name";
            case "hostAliases":
                return "ip";
            case "volumeMounts" or "volumeDevices":
                return field == "volumeMounts" ? "mountPath" : "devicePath";
            case "ownerReferences":
                return "uid";
            case "conditions":
                return "type";
            case "ports":
                var sample = patchList.OfType<JsonObject>().FirstOrDefault() ?? targetList?.OfType<JsonObject>().FirstOrDefault();
                return sample != null && sample.ContainsKey("containerPort") ? "containerPort" : "port";
            default:
                return null;
        }
    }

    private static JsonObject MergeMap(JsonObject target, JsonObject patch)
    {
        var directive = patch["$patch"]?.GetValue<string>();
        if (directive == "replace")
        {
            var replaced = (JsonObject)patch.DeepClone();
            replaced.Remove("$patch");
            return replaced;
        }
        var retainKeys = patch["$retainKeys"] as JsonArray;
        var orders = new List<(string Field, JsonArray Order)>();

        foreach (var (key, value) in patch)
        {
            if (key is "$patch" or "$retainKeys") continue;
            if (key.StartsWith(SetOrderPrefix, StringComparison.Ordinal))
            {
                if (value is JsonArray order) orders.Add((key[SetOrderPrefix.Length..], order));
                continue;
            }
            if (key.StartsWith(DeletePrimitivePrefix, StringComparison.Ordinal))
            {
                var field = key[DeletePrimitivePrefix.Length..];
                if (target[field] is JsonArray list && value is JsonArray remove)
                {
                    foreach (var item in list.Where(i => remove.Any(r => JsonNode.DeepEquals(r, i))).ToList()) list.Remove(item);
                }
                continue;
            }
            if (value == null)
            {
                target.Remove(key);
                continue;
            }
            if (value is JsonObject childPatch)
            {
                if (childPatch["$patch"]?.GetValue<string>() == "delete")
                {
                    target.Remove(key);
                    continue;
                }
                var merged = MergeMap(target[key] as JsonObject ?? new JsonObject(), childPatch);
                Set(target, key, merged);
                continue;
            }
            if (value is JsonArray listPatch)
            {
                Set(target, key, MergeList(key, target[key] as JsonArray, listPatch));
                continue;
            }
            Set(target, key, value.DeepClone());
        }

        foreach (var (field, order) in orders)
        {
            if (target[field] is JsonArray list) Reorder(field, list, order);
        }
        if (retainKeys != null)
        {
            var keep = retainKeys.Select(k => k?.GetValue<string>()).ToHashSet();
            foreach (var key in target.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList()) target.Remove(key);
        }
        return target;
    }

    private static JsonArray MergeList(string field, JsonArray? target, JsonArray patch)
    {
        if (patch.Any(e => e is JsonObject o && o["$patch"]?.GetValue<string>() == "replace"))
            return new JsonArray(patch.Where(e => !(e is JsonObject o && o.ContainsKey("$patch"))).Select(e => e?.DeepClone()).ToArray());

        if (PrimitiveMergeLists.Contains(field))
        {
            var set = target == null ? new JsonArray() : (JsonArray)target.DeepClone();
            foreach (var item in patch)
            {
                if (!set.Any(i => JsonNode.DeepEquals(i, item))) set.Add(item?.DeepClone());
            }
            return set;
        }

        var key = MergeKey(field, patch, target);
        if (key == null || target == null) return StripDirectives(patch);

        var result = (JsonArray)target.DeepClone();
        foreach (var item in patch)
        {
            if (item is not JsonObject itemPatch) continue;
            var keyValue = itemPatch[key];
            var existing = result.OfType<JsonObject>().FirstOrDefault(e => JsonNode.DeepEquals(e[key], keyValue));
            var itemDirective = itemPatch["$patch"]?.GetValue<string>();
            if (itemDirective == "delete")
            {
                if (existing != null) result.Remove(existing);
                continue;
            }
            if (existing != null) MergeMap(existing, itemPatch);
            else result.Add(MergeMap(new JsonObject(), itemPatch));
        }
        return result;
    }

    /// <summary>Elements named in the order list come first, in that order; the others keep their relative order after them.</summary>
    private static void Reorder(string field, JsonArray list, JsonArray order)
    {
        var key = MergeKey(field, order, list);
        var items = list.ToList();
        list.Clear();
        var ordered = new List<JsonNode?>();
        foreach (var o in order)
        {
            var match = items.FirstOrDefault(i => key != null ? JsonNode.DeepEquals(i?[key], o?[key]) : JsonNode.DeepEquals(i, o));
            if (match != null && !ordered.Contains(match)) ordered.Add(match);
        }
        foreach (var i in items) if (!ordered.Contains(i)) ordered.Add(i);
        foreach (var i in ordered) list.Add(i);
    }

    private static JsonArray StripDirectives(JsonArray patch)
    {
        var clean = new JsonArray();
        foreach (var item in patch)
        {
            if (item is JsonObject o && o["$patch"] != null) continue;
            clean.Add(item is JsonObject obj ? MergeMap(new JsonObject(), obj) : item?.DeepClone());
        }
        return clean;
    }

    private static void Set(JsonObject target, string key, JsonNode? value)
    {
        if (ReferenceEquals(target[key], value)) return;
        if (value?.Parent != null) value = value.DeepClone();
        target[key] = value;
    }
}
