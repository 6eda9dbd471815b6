namespace Coordinator.Domain.Text;

/// <summary>
/// A fixed table of recent strings looked up by content: a hit returns the instance already made; a miss makes one and
/// takes the slot. Bounded memory, no lock: a slot is one reference, and a lost race only costs a duplicate.
/// </summary>
public sealed class StringTable(int slots, int maxLength)
{
    /// <summary>One reference per slot; strings longer than <c>maxLength</c> are returned as they are, not kept.</summary>
    private readonly string?[] _slots = new string?[slots];

    /// <summary>The string of these characters, shared with earlier callers when it was seen recently.</summary>
    public string Get(ReadOnlySpan<char> chars)
    {
        if (chars.IsEmpty) return "";
        if (chars.Length > maxLength) return new string(chars);
        ref var slot = ref SlotOf(chars);
        var existing = Volatile.Read(ref slot);
        if (existing is not null && chars.SequenceEqual(existing)) return existing;
        var made = new string(chars);
        Volatile.Write(ref slot, made);
        return made;
    }

    /// <summary><paramref name="value"/>, or the equal instance already in the table.</summary>
    public string Share(string value)
    {
        if (value.Length == 0) return "";
        if (value.Length > maxLength) return value;
        ref var slot = ref SlotOf(value);
        var existing = Volatile.Read(ref slot);
        if (existing is not null && value.AsSpan().SequenceEqual(existing)) return existing;
        Volatile.Write(ref slot, value);
        return value;
    }

    private ref string? SlotOf(ReadOnlySpan<char> chars) => ref _slots[(uint)string.GetHashCode(chars) % (uint)_slots.Length];
}
