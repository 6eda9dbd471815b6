using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;

namespace Coordinator.KubeSim.Patching;

/// <summary>RFC 6902 JSON patch (add, remove, replace, move, copy, test) over JsonNode, with RFC 6901 pointers.</summary>
internal static class JsonPatch
{
    public static JsonObject Apply(JsonObject target, JsonArray ops, ResourceType t)
    {
        JsonNode root = target;
        foreach (var opNode in ops)
        {
            var op = opNode?["op"]?.GetValue<string>() ?? throw KubeApiException.BadRequest("json patch operation without 'op'");
            var path = opNode["path"]?.GetValue<string>() ?? throw KubeApiException.BadRequest($"json patch '{op}' without 'path'");
            switch (op)
            {
                case "add":
                    root = Add(root, path, opNode["value"]?.DeepClone());
                    break;
                case "remove":
                    Remove(root, path);
                    break;
                case "replace":
                    Remove(root, path);
                    root = Add(root, path, opNode["value"]?.DeepClone());
                    break;
                case "move":
                {
                    var from = opNode["from"]?.GetValue<string>() ?? throw KubeApiException.BadRequest("move without 'from'");
                    var value = Remove(root, from);
                    root = Add(root, path, value);
                    break;
                }
                case "copy":
                {
                    var from = opNode["from"]?.GetValue<string>() ?? throw KubeApiException.BadRequest("copy without 'from'");
                    root = Add(root, path, Resolve(root, from)?.DeepClone());
                    break;
                }
                case "test":
                    if (!JsonNode.DeepEquals(Resolve(root, path), opNode["value"]))
                        throw new KubeApiException(422, "Invalid", $"the server rejected our request due to an error in our request: testing value {path} failed");
                    break;
                default:
                    throw KubeApiException.BadRequest($"Unexpected kind: {op}");
            }
        }
        return root as JsonObject ?? throw KubeApiException.BadRequest("json patch replaced the whole object with a non-object");
    }

    private static string[] Split(string pointer)
    {
        if (pointer.Length == 0) return [];
        if (pointer[0] != '/') throw KubeApiException.BadRequest($"invalid JSON pointer: {pointer}");
        return pointer[1..].Split('/').Select(p => p.Replace("~1", "/").Replace("~0", "~")).ToArray();
    }

    private static JsonNode? Resolve(JsonNode? node, string pointer) => Resolve(node, Split(pointer), pointer);

    private static JsonNode? Resolve(JsonNode? node, string[] parts, string pointer)
    {
        foreach (var part in parts)
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(part, out var v) => v,
                JsonArray a when int.TryParse(part, out var i) && i >= 0 && i < a.Count => a[i],
                _ => throw Missing(pointer),
            };
        }
        return node;
    }

    private static KubeApiException Missing(string pointer) =>
        new(422, "Invalid", $"the server rejected our request due to an error in our request: doc is missing path: \"{pointer}\"");

    private static JsonNode Add(JsonNode root, string pointer, JsonNode? value)
    {
        var parts = Split(pointer);
        if (parts.Length == 0) return value ?? throw KubeApiException.BadRequest("cannot replace the document with null");
        var parent = Resolve(root, parts[..^1], pointer);
        var last = parts[^1];
        switch (parent)
        {
            case JsonObject o:
                o.Remove(last);
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw Missing(pointer);
        }
        return root;
    }

    private static JsonNode? Remove(JsonNode root, string pointer)
    {
        var parts = Split(pointer);
        var parent = Resolve(root, parts[..^1], pointer);
        var last = parts[^1];
        switch (parent)
        {
            case JsonObject o when o.TryGetPropertyValue(last, out var v):
                o.Remove(last);
                return v;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count:
                var item = a[i];
                a.RemoveAt(i);
                return item;
            default:
                throw Missing(pointer);
        }
    }
}
