using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.KubeSim.Store;

/// <summary>How an update's spec relates to the stored object's.</summary>
internal enum SpecDifference
{
    /// <summary>Every spec value is written exactly as stored.</summary>
    None,
    /// <summary>Equal content (<see cref="JsonNode.DeepEquals"/>) written differently, e.g. in another key order.</summary>
    SameContent,
    /// <summary>The spec changed: the generation goes up.</summary>
    Changed,
}

/// <summary>
/// Whether an update changes the spec (anything outside metadata, status, apiVersion and kind), which decides
/// <c>metadata.generation</c>. The answer is <see cref="JsonNode.DeepEquals"/>'s, but most writes (metadata patches,
/// status writes, controllers' no-op reconciles) leave the spec alone, and comparing two <see cref="JsonNode"/> trees
/// materializes both of them node by node: it was the largest single cost of a PATCH. So each top-level value is first
/// written out and compared with its bytes in the stored object; only when they differ (a real change, or the same
/// content written differently, such as another key order) does the tree comparison decide.
/// </summary>
internal static class SpecComparison
{
    private const int MaxKeptBuffer = 256 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <param name="storedJson">The stored object's bytes (as <see cref="JsonFields.ToBytes"/> wrote them).</param>
    /// <param name="before">The stored object, parsed from <paramref name="storedJson"/> (its status may have been moved out).</param>
    /// <param name="after">The object about to be committed.</param>
    public static SpecDifference Compare(ReadOnlySpan<byte> storedJson, JsonObject before, JsonObject after)
    {
        var stored = StoredValues(storedJson);
        var result = SpecDifference.None;
        foreach (var (key, value) in after)
        {
            if (IsNotSpec(key)) continue;
            if (Find(stored, key) is var (start, length) && WritesAs(value, storedJson.Slice(start, length))) continue;
            if (!JsonNode.DeepEquals(value, before[key])) return SpecDifference.Changed;
            result = SpecDifference.SameContent;
        }
        foreach (var (key, _) in before)
        {
            if (IsNotSpec(key)) continue;
            if (!after.ContainsKey(key)) return SpecDifference.Changed;
        }
        return result;
    }

    private static bool IsNotSpec(string key) => key is "metadata" or "status" or "apiVersion" or "kind";

    /// <summary>Where each top-level spec value lies in the stored bytes (an object has few top-level properties).</summary>
    private static List<(string Key, int Start, int Length)> StoredValues(ReadOnlySpan<byte> json)
    {
        var values = new List<(string, int, int)>(2);
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return values;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var skip = reader.ValueTextEquals("metadata"u8) || reader.ValueTextEquals("status"u8)
                || reader.ValueTextEquals("apiVersion"u8) || reader.ValueTextEquals("kind"u8);
            var key = skip ? null : reader.GetString();
            if (!reader.Read()) break;
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (key != null) values.Add((key, start, (int)reader.BytesConsumed - start));
        }
        return values;
    }

    private static (int Start, int Length)? Find(List<(string Key, int Start, int Length)> values, string key)
    {
        foreach (var v in values)
        {
            if (v.Key == key) return (v.Start, v.Length);
        }
        return null;
    }

    /// <summary>True when <paramref name="value"/> serializes (as the store writes objects) to exactly <paramref name="bytes"/>.</summary>
    private static bool WritesAs(JsonNode? value, ReadOnlySpan<byte> bytes)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JsonFields.Compact.Encoder, Indented = false });
        writer.Reset(buffer);
        if (value == null) writer.WriteNullValue();
        else value.WriteTo(writer, JsonFields.Compact);
        writer.Flush();
        var same = buffer.WrittenSpan.SequenceEqual(bytes);
        // Don't keep a huge object's buffer per thread.
        if (buffer.Capacity > MaxKeptBuffer) t_buffer = null;
        return same;
    }
}
