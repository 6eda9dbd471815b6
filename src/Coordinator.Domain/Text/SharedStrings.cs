using System.Text;

namespace Coordinator.Domain.Text;

/// <summary>
/// One string instance for the values the clusters send again and again: label keys and values, names, images, hashes,
/// the property names of every template. Each watch event used to bring its own copies, which the watch caches and the
/// Rollouts' trees kept until the next event: a tenth of what the silo allocated per update and most of what its gen-0
/// collections copied (a heap dump in the middle of an update held 8,009 copies of <c>rollouts-demo</c> in gen 1 alone).
/// </summary>
/// <remarks>
/// Values that never repeat only churn the table, evicting the ones that do: resourceVersions, a new one in every watch
/// event and every answer to a write, are not kept (at 10,000 Rollouts they replaced every slot several times per update).
/// </remarks>
public static class SharedStrings
{
    /// <summary>Longer strings (messages, annotations with JSON) rarely repeat verbatim and are not worth a lookup.</summary>
    public const int MaxLength = 128;

    /// <summary>
    /// 512 KiB of references, room for the distinct short values of a large fleet. Whatever the clusters send, the table
    /// holds at most this many strings of at most <see cref="MaxLength"/> characters (17 MiB).
    /// </summary>
    private static readonly StringTable Table = new(1 << 16, MaxLength);

    /// <summary>The string of these UTF-8 bytes, shared with earlier callers when it was seen recently.</summary>
    public static string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty) return "";
        if (utf8.Length > MaxLength) return Encoding.UTF8.GetString(utf8);
        Span<char> chars = stackalloc char[MaxLength];
        var length = Encoding.UTF8.GetChars(utf8, chars);
        return Get(chars[..length]);
    }

    /// <summary>The string of these characters, shared with earlier callers when it was seen recently.</summary>
    public static string Get(ReadOnlySpan<char> chars) => IsVersionLike(chars) ? new string(chars) : Table.Get(chars);

    /// <summary>The reader's current string token or property name, shared (escaped or split values are unescaped first).</summary>
    public static string Get(ref System.Text.Json.Utf8JsonReader reader)
    {
        if (reader.HasValueSequence || reader.ValueIsEscaped)
        {
            var value = reader.GetString()!;
            return value.Length > MaxLength ? value : Get(value.AsSpan());
        }
        return Get(reader.ValueSpan);
    }

    /// <summary>A string element's value, shared (an escaped one is unescaped first); null for any other element.</summary>
    public static string? Get(System.Text.Json.JsonElement element)
    {
        if (element.ValueKind != System.Text.Json.JsonValueKind.String) return null;
        // The raw token, quotes included.
        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element);
        if (raw.IndexOf((byte)'\\') < 0) return Get(raw[1..^1]);
        var value = element.GetString()!;
        return value.Length > MaxLength ? value : Get(value.AsSpan());
    }

    /// <summary>Digits only, longer than a revision number or a port: a resourceVersion.</summary>
    private static bool IsVersionLike(ReadOnlySpan<char> chars) => chars.Length > 4 && !chars.ContainsAnyExceptInRange('0', '9');
}
