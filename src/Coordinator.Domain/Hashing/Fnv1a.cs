namespace Coordinator.Domain.Hashing;

/// <summary>
/// FNV-1a, the hash behind Kubernetes' pod-template-hash (Go's <c>hash/fnv</c> New32a): one implementation for the
/// template and steps hashes, the owner's shortened names, and the informers' fingerprints.
/// </summary>
public static class Fnv1a
{
    public const uint Offset32 = 2166136261u;
    private const uint Prime32 = 16777619u;
    private const ulong Offset64 = 14695981039346656037UL;
    private const ulong Prime64 = 1099511628211UL;

    /// <summary>The 32-bit hash of <paramref name="bytes"/>, continuing from <paramref name="hash"/>.</summary>
    public static uint Hash32(ReadOnlySpan<byte> bytes, uint hash = Offset32)
    {
        foreach (var b in bytes) hash = unchecked((hash ^ b) * Prime32);
        return hash;
    }

    /// <summary>The 64-bit hash of the characters' UTF-16 code units (low byte first): for comparisons within one process.</summary>
    public static ulong Hash64(ReadOnlySpan<char> chars) => Hash64(chars, Offset64);

    /// <summary>The same, continuing from <paramref name="hash"/> (a hash of several values without a string of them).</summary>
    public static ulong Hash64(ReadOnlySpan<char> chars, ulong hash)
    {
        foreach (var c in chars)
        {
            hash = unchecked((hash ^ (byte)c) * Prime64);
            hash = unchecked((hash ^ (byte)(c >> 8)) * Prime64);
        }
        return hash;
    }
}
