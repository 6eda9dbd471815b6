using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.Domain.Hashing;

/// <summary>
/// A stable serialisation for hashing and comparing templates: object keys sorted ordinally, null-valued properties
/// dropped (so <c>creationTimestamp: null</c> and an absent field hash the same), no whitespace, arrays in order.
/// </summary>
public static class CanonicalJson
{
    public static string Serialize(JsonNode? node)
    {
        var buffer = new StringBuilder();
        using (var writer = new Utf8JsonWriterScope(buffer))
        {
            Write(writer.Writer, node);
        }

        return buffer.ToString();
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.Where(p => p.Value is not null).OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    private sealed class Utf8JsonWriterScope : IDisposable
    {
        private readonly StringBuilder _target;
        private readonly MemoryStream _stream = new();

        public Utf8JsonWriterScope(StringBuilder target)
        {
            _target = target;
            Writer = new Utf8JsonWriter(_stream);
        }

        public Utf8JsonWriter Writer { get; }

        public void Dispose()
        {
            Writer.Flush();
            _target.Append(Encoding.UTF8.GetString(_stream.ToArray()));
            Writer.Dispose();
            _stream.Dispose();
        }
    }
}
