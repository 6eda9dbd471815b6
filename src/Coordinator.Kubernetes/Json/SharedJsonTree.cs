using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Domain.Text;

namespace Coordinator.Kubernetes.Json;

/// <summary>
/// Builds a <see cref="JsonNode"/> tree whose property names and string values come from <see cref="SharedStrings"/>.
/// <c>JsonNode.Parse</c> keeps the document and makes a new string for every name and value it is asked for, per tree;
/// the templates and VirtualServices a Rollout looks at are the same few hundred strings each time. Numbers stay
/// document-backed, so they read back exactly as they were sent, as any <c>GetValue&lt;T&gt;</c>.
/// </summary>
internal static class SharedJsonTree
{
    /// <summary>Buffers above this size are not kept for the thread's next use.</summary>
    private const int KeptCapacity = 256 * 1024;

    [ThreadStatic] private static ArrayBufferWriter<byte>? _buffer;

    /// <summary>
    /// <paramref name="value"/> serialized with <paramref name="options"/>, as a tree of shared strings, itself shared
    /// with every caller that serialized equal JSON recently (<see cref="SharedTrees"/>): read-only.
    /// </summary>
    public static JsonObject SerializeToSharedObject<T>(T value, JsonSerializerOptions options)
    {
        var buffer = _buffer ?? new ArrayBufferWriter<byte>(4096);
        _buffer = null; // a nested use on this thread gets its own
        buffer.ResetWrittenCount();
        try
        {
            using (var writer = new Utf8JsonWriter(buffer)) JsonSerializer.Serialize(writer, value, options);
            return SharedTrees.Get(buffer.WrittenSpan);
        }
        finally
        {
            if (buffer.Capacity <= KeptCapacity) _buffer = buffer;
        }
    }

    public static JsonNode? Parse(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 256 });
        if (!reader.Read()) throw new JsonException("empty JSON");
        return ReadValue(ref reader);
    }

    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8) =>
        Parse(utf8) as JsonObject ?? throw new JsonException("expected a JSON object");

    private static JsonNode? ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var obj = new JsonObject();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = SharedStrings.Get(ref reader);
                    reader.Read();
                    obj[name] = ReadValue(ref reader);
                }
                _ = obj.Count; // an empty object makes its dictionary on first use: made now, so threads can share the tree
                return obj;
            case JsonTokenType.StartArray:
                var array = new JsonArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) array.Add(ReadValue(ref reader));
                _ = array.Count; // as for objects
                return array;
            case JsonTokenType.String:
                return JsonValue.Create(SharedStrings.Get(ref reader));
            case JsonTokenType.True:
                return JsonValue.Create(true);
            case JsonTokenType.False:
                return JsonValue.Create(false);
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                return JsonNode.Parse(reader.ValueSpan);
            default:
                throw new JsonException($"unexpected {reader.TokenType}");
        }
    }
}
