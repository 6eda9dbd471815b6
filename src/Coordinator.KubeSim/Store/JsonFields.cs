using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.KubeSim.Store;

/// <summary>Small helpers to read and write the usual places of a Kubernetes object held as a JsonNode.</summary>
internal static class JsonFields
{
    /// <summary>Escapes like Go's encoding/json would not, but keeps quotes as \" and '&lt;' as is, as the apiserver shows them.</summary>
    public static readonly JsonSerializerOptions Compact = new() { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject m) return m;
        m = new JsonObject();
        obj["metadata"] = m;
        return m;
    }

    public static string? Str(JsonNode? node, string property) =>
        node is JsonObject o && o[property] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static long? Long(JsonNode? node, string property)
    {
        if (node is not JsonObject o || o[property] is not JsonValue v) return null;
        if (v.TryGetValue<long>(out var l)) return l;
        if (v.TryGetValue<int>(out var i)) return i;
        if (v.TryGetValue<double>(out var d)) return (long)d;
        if (v.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var el)) return el;
        return null;
    }

    public static JsonObject? Obj(JsonNode? node, params string[] path)
    {
        foreach (var p in path)
        {
            node = node is JsonObject o ? o[p] : null;
        }
        return node as JsonObject;
    }

    public static JsonArray? Arr(JsonNode? node, params string[] path)
    {
        for (var i = 0; i < path.Length - 1; i++)
        {
            node = node is JsonObject o ? o[path[i]] : null;
        }
        return node is JsonObject last ? last[path[^1]] as JsonArray : null;
    }

    public static Dictionary<string, string>? StringMap(JsonNode? node)
    {
        if (node is not JsonObject o || o.Count == 0) return null;
        var map = new Dictionary<string, string>(o.Count, StringComparer.Ordinal);
        foreach (var (k, v) in o)
        {
            map[k] = v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : v?.ToJsonString() ?? "";
        }
        return map;
    }

    /// <summary>"a=1,b=2" with keys sorted, as kubectl's SELECTOR column shows a map or matchLabels.</summary>
    public static string MapToSelectorString(JsonNode? node)
    {
        var map = StringMap(node);
        if (map == null) return "";
        var sb = new StringBuilder();
        foreach (var key in map.Keys.Order(StringComparer.Ordinal))
        {
            if (sb.Length > 0) sb.Append(',');
            sb.Append(key).Append('=').Append(map[key]);
        }
        return sb.ToString();
    }

    public static byte[] ToBytes(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, Compact);

    public static JsonObject ParseObject(ReadOnlySpan<byte> json) =>
        JsonNode.Parse(json) as JsonObject ?? throw new JsonException("expected a JSON object");

    /// <summary>JSON with object keys sorted, so equal content always hashes the same (pod-template-hash).</summary>
    public static string Canonical(JsonNode? node)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteCanonical(writer, node);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteCanonical(Utf8JsonWriter w, JsonNode? node)
    {
        switch (node)
        {
            case null:
                w.WriteNullValue();
                break;
            case JsonObject o:
                w.WriteStartObject();
                foreach (var (k, v) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    w.WritePropertyName(k);
                    WriteCanonical(w, v);
                }
                w.WriteEndObject();
                break;
            case JsonArray a:
                w.WriteStartArray();
                foreach (var item in a) WriteCanonical(w, item);
                w.WriteEndArray();
                break;
            default:
                node.WriteTo(w);
                break;
        }
    }

    /// <summary>
    /// Serialized object <paramref name="json"/> (as <see cref="ToBytes"/> writes it) with the string value of
    /// metadata.resourceVersion replaced by <paramref name="resourceVersion"/> (digits only); null when the object has
    /// no such string. Saves serializing the whole object a second time when only the resourceVersion changes.
    /// </summary>
    public static byte[]? WithResourceVersion(byte[] json, string resourceVersion)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMetadata = reader.ValueTextEquals("metadata"u8);
            if (!reader.Read()) return null;
            if (!isMetadata || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isRv = reader.ValueTextEquals("resourceVersion"u8);
                if (!reader.Read()) return null;
                if (!isRv)
                {
                    reader.Skip();
                    continue;
                }
                if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped) return null;
                // TokenStartIndex is the opening quote; the token is the raw value plus both quotes.
                var start = (int)reader.TokenStartIndex;
                var end = start + reader.ValueSpan.Length + 2;
                var result = new byte[json.Length - (end - start) + resourceVersion.Length + 2];
                json.AsSpan(0, start).CopyTo(result);
                var at = start;
                result[at++] = (byte)'"';
                at += Encoding.ASCII.GetBytes(resourceVersion, result.AsSpan(at));
                result[at++] = (byte)'"';
                json.AsSpan(end).CopyTo(result.AsSpan(at));
                return result;
            }
            return null;
        }
        return null;
    }

    /// <summary>Rebuilds the object with apiVersion and kind first (the byte-level apiVersion rewrite relies on it) and status last.</summary>
    public static JsonObject Ordered(JsonObject obj, string apiVersion, string kind)
    {
        if (IsOrdered(obj, apiVersion, kind)) return obj;
        var result = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        var props = obj.ToList();
        obj.Clear();
        JsonNode? status = null;
        foreach (var (k, v) in props)
        {
            if (k is "apiVersion" or "kind") continue;
            if (k == "status") { status = v; continue; }
            result[k] = v;
        }
        if (status != null) result["status"] = status;
        return result;
    }

    /// <summary>True when <see cref="Ordered"/> would produce the same properties in the same order (the usual case on updates).</summary>
    private static bool IsOrdered(JsonObject obj, string apiVersion, string kind)
    {
        if (obj.Count < 2) return false;
        var first = obj.GetAt(0);
        var second = obj.GetAt(1);
        if (first.Key != "apiVersion" || Str(obj, "apiVersion") != apiVersion) return false;
        if (second.Key != "kind" || Str(obj, "kind") != kind) return false;
        var statusAt = obj.IndexOf("status");
        // Ordered drops a null status; keep the slow path for that rare case.
        return statusAt < 0 || (statusAt == obj.Count - 1 && obj.GetAt(statusAt).Value != null);
    }
}
