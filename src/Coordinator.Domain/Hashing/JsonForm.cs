using System.Text.Json;

namespace Coordinator.Domain.Hashing;

/// <summary>
/// A value's JSON form, compared or hashed as UTF-8 bytes in a reused buffer rather than as two new strings: a
/// planner pass compares statuses and hashes the steps this way, every pass of every rollout.
/// </summary>
public static class JsonForm
{
    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> serialise to the same JSON with <paramref name="options"/>.</summary>
    public static bool AreEqual<T>(T a, T b, JsonSerializerOptions? options = null) =>
        ThreadBuffers.AreEqual(a, b, options, static (buffer, value, options) => Write(buffer, value, options));

    /// <summary>Runs <paramref name="use"/> on the UTF-8 JSON of <paramref name="value"/> (the bytes of <c>JsonSerializer.Serialize</c>'s text).</summary>
    public static TResult WithBytes<T, TResult>(T value, JsonSerializerOptions? options, Func<ReadOnlySpan<byte>, TResult> use) =>
        ThreadBuffers.WithBytes(value, options, static (buffer, value, options) => Write(buffer, value, options), use);

    private static void Write<T>(System.Buffers.IBufferWriter<byte> buffer, T value, JsonSerializerOptions? options)
    {
        // The writer's own options, as JsonSerializer.Serialize to a string would take them from the serializer's.
        using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Encoder = options?.Encoder,
            Indented = options?.WriteIndented ?? false,
            SkipValidation = true,
        });
        JsonSerializer.Serialize(writer, value, options);
    }
}
