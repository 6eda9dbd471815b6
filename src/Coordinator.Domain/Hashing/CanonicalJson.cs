using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.Domain.Hashing;

/// <summary>
/// A stable serialisation for hashing and comparing templates: object keys sorted ordinally, null-valued properties
/// dropped (so <c>creationTimestamp: null</c> and an absent field hash the same), no whitespace, arrays in order.
/// </summary>
/// <remarks>
/// Every planner pass hashes the Deployment's template, so the bytes are written into a buffer this thread reuses
/// (<see cref="ThreadBuffers"/>) and handed to the caller as a span: at 1,000 rollouts the text, its copies and its
/// sorting were the silo's largest allocation (docs/benchmarks.md). A property can be left out on the way
/// (<see cref="Omit"/>) instead of copying the template to remove it.
/// </remarks>
public static class CanonicalJson
{
    /// <summary>A path of property names from the root; the last one is not written.</summary>
    public sealed record Omit(params string[] Path);

    public static string Serialize(JsonNode? node) => WithBytes(node, null, static bytes => Encoding.UTF8.GetString(bytes));

    /// <summary>Runs <paramref name="use"/> on the canonical UTF-8 bytes of <paramref name="node"/> (valid only during the call).</summary>
    public static TResult WithBytes<TResult>(JsonNode? node, Omit? omit, Func<ReadOnlySpan<byte>, TResult> use) =>
        ThreadBuffers.WithBytes(node, omit, static (buffer, node, omit) => Write(buffer, node, omit), use);

    /// <summary>Whether two nodes have the same canonical form (<paramref name="omit"/> left out of both).</summary>
    public static bool AreEqual(JsonNode? a, JsonNode? b, Omit? omit) =>
        ThreadBuffers.AreEqual(a, b, omit, static (buffer, node, omit) => Write(buffer, node, omit));

    private static void Write(IBufferWriter<byte> buffer, JsonNode? node, Omit? omit)
    {
        using var writer = new Utf8JsonWriter(buffer);
        Write(writer, node, omit?.Path, 0);
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node, string[]? omit, int depth)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                WriteObject(writer, obj, omit, depth);
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    Write(writer, item, null, 0);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    private static void WriteObject(Utf8JsonWriter writer, JsonObject obj, string[]? omit, int depth)
    {
        var properties = ArrayPool<KeyValuePair<string, JsonNode?>>.Shared.Rent(obj.Count);
        try
        {
            var count = 0;
            foreach (var property in obj)
            {
                if (property.Value is not null) properties[count++] = property;
            }

            var sorted = properties.AsSpan(0, count);
            sorted.Sort(static (x, y) => string.CompareOrdinal(x.Key, y.Key));
            writer.WriteStartObject();
            foreach (var (key, value) in sorted)
            {
                var onPath = omit is not null && depth < omit.Length && key == omit[depth];
                if (onPath && depth == omit!.Length - 1) continue;
                writer.WritePropertyName(key);
                Write(writer, value, onPath ? omit : null, depth + 1);
            }

            writer.WriteEndObject();
        }
        finally
        {
            ArrayPool<KeyValuePair<string, JsonNode?>>.Shared.Return(properties, clearArray: true);
        }
    }
}
