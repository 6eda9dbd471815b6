using System.Text;

namespace Coordinator.Kubernetes.Json;

/// <summary>
/// One string instance for the values the clusters send again and again: label keys and values, names, images, hashes,
/// the property names of every template. Each watch event used to bring its own copies, which the watch caches and the
/// Rollouts' trees kept until the next event: a tenth of what the silo allocated per update and most of what its gen-0
/// collections copied (a heap dump in the middle of an update held 8,009 copies of <c>rollouts-demo</c> in gen 1 alone).
/// A fixed table of recent strings, looked up by content: a hit returns the instance already made; a miss makes one and
/// takes the slot (values that never repeat, such as resourceVersions, only churn their slot). Bounded memory, no lock:
/// a slot is one reference, and a lost race only costs a duplicate.
/// </summary>
internal static class SharedStrings
{
    /// <summary>Longer strings (messages, annotations with JSON) rarely repeat verbatim and are not worth a lookup.</summary>
    public const int MaxLength = 128;

    /// <summary>
    /// 512 KiB of references, room for the distinct short values of a large fleet. Whatever the clusters send, the table
    /// holds at most this many strings of at most <see cref="MaxLength"/> characters (17 MiB).
    /// </summary>
    private const int Slots = 1 << 16;
    private static readonly string?[] Table = new string?[Slots];

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
    public static string Get(ReadOnlySpan<char> chars)
    {
        if (chars.IsEmpty) return "";
        if (chars.Length > MaxLength) return new string(chars);
        var slot = (int)((uint)string.GetHashCode(chars) % Slots);
        var existing = Volatile.Read(ref Table[slot]);
        if (existing is not null && chars.SequenceEqual(existing)) return existing;
        var made = new string(chars);
        Volatile.Write(ref Table[slot], made);
        return made;
    }

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
}
