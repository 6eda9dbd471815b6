using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;
using Coordinator.KubeSim.Http;
using Coordinator.KubeSim.Seed;
using Coordinator.KubeSim.Store;

namespace Coordinator.KubeSim.Patching;

public enum PatchKind { Merge, StrategicMerge, Json, Apply }

/// <summary>Picks the patch algorithm from the Content-Type and applies it to a parsed object.</summary>
internal static class PatchEngine
{
    public static PatchKind? FromContentType(string? contentType)
    {
        if (contentType == null) return null;
        if (contentType.StartsWith("application/merge-patch+json", StringComparison.OrdinalIgnoreCase)) return PatchKind.Merge;
        if (contentType.StartsWith("application/strategic-merge-patch+json", StringComparison.OrdinalIgnoreCase)) return PatchKind.StrategicMerge;
        if (contentType.StartsWith("application/json-patch+json", StringComparison.OrdinalIgnoreCase)) return PatchKind.Json;
        if (contentType.StartsWith("application/apply-patch+yaml", StringComparison.OrdinalIgnoreCase)) return PatchKind.Apply;
        return null;
    }

    public static JsonObject Apply(PatchKind kind, JsonObject target, byte[] body, ResourceType t)
    {
        try
        {
            switch (kind)
            {
                case PatchKind.Json:
                    var ops = RequestBody.ParseJson(body) as JsonArray ?? throw KubeApiException.BadRequest("json patch must be a JSON array of operations");
                    return JsonPatch.Apply(target, ops, t);
                case PatchKind.StrategicMerge:
                    if (t.IsCustomResource)
                        throw new KubeApiException(415, "UnsupportedMediaType",
                            "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
                    return StrategicMergePatch.Apply(target, ParseObject(body));
                case PatchKind.Apply:
                    // Server-side apply is simplified to a merge patch of the fields the applier sent (no managedFields, no conflicts).
                    return (JsonObject)MergePatch.Apply(target, ParseApplyBody(body))!;
                default:
                    return (JsonObject)MergePatch.Apply(target, ParseObject(body))!;
            }
        }
        catch (JsonException e)
        {
            throw KubeApiException.BadRequest($"error decoding patch: {e.Message}");
        }
    }

    /// <summary>Apply bodies are YAML by content type, but clients (KubernetesClient, kubectl) usually send JSON.</summary>
    public static JsonObject ParseApplyBody(byte[] body)
    {
        var span = body.AsSpan().TrimStart(" \t\r\n"u8);
        if (span.Length > 0 && span[0] == (byte)'{') return ParseObject(body);
        return YamlToJson.ParseDocuments(System.Text.Encoding.UTF8.GetString(body)).FirstOrDefault()
            ?? throw KubeApiException.BadRequest("empty apply body");
    }

    private static JsonObject ParseObject(byte[] body) =>
        RequestBody.ParseJson(body) as JsonObject ?? throw KubeApiException.BadRequest("patch body must be a JSON object");
}
