using System.Text.Json.Nodes;

namespace Coordinator.KubeSim.Patching;

/// <summary>RFC 7386 JSON merge patch: objects merge recursively, null deletes, everything else replaces.</summary>
internal static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObj) return patch?.DeepClone();
        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObj)
        {
            if (value == null)
            {
                result.Remove(key);
                continue;
            }
            var merged = Apply(result[key], value);
            if (result[key] != merged)
            {
                result.Remove(key);
                result[key] = merged;
            }
        }
        return result;
    }
}
