using System.Buffers;

namespace Coordinator.Domain.Hashing;

/// <summary>
/// Two byte buffers each thread reuses for JSON it writes only to hash or compare (<see cref="CanonicalJson"/>,
/// <see cref="JsonForm"/>). A buffer is taken until released, so a nested use on the same thread gets a new one.
/// </summary>
internal static class ThreadBuffers
{
    /// <summary>Buffers above this size are not kept for the thread's next use.</summary>
    private const int KeptCapacity = 256 * 1024;

    [ThreadStatic] private static ArrayBufferWriter<byte>? _first;
    [ThreadStatic] private static ArrayBufferWriter<byte>? _second;

    public static ArrayBufferWriter<byte> TakeFirst() => Take(ref _first);

    public static ArrayBufferWriter<byte> TakeSecond() => Take(ref _second);

    public static void ReleaseFirst(ArrayBufferWriter<byte> buffer) => Release(ref _first, buffer);

    public static void ReleaseSecond(ArrayBufferWriter<byte> buffer) => Release(ref _second, buffer);

    private static ArrayBufferWriter<byte> Take(ref ArrayBufferWriter<byte>? slot)
    {
        var buffer = slot ?? new ArrayBufferWriter<byte>(4096);
        slot = null;
        buffer.ResetWrittenCount();
        return buffer;
    }

    private static void Release(ref ArrayBufferWriter<byte>? slot, ArrayBufferWriter<byte> buffer)
    {
        if (buffer.Capacity <= KeptCapacity) slot = buffer;
    }
}
