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

    /// <summary>Writes <paramref name="a"/> and <paramref name="b"/> with <paramref name="write"/>; whether their bytes are equal.</summary>
    public static bool AreEqual<T, TState>(T a, T b, TState state, Action<IBufferWriter<byte>, T, TState> write)
    {
        var first = Take(ref _first);
        var second = Take(ref _second);
        try
        {
            write(first, a, state);
            write(second, b, state);
            return first.WrittenSpan.SequenceEqual(second.WrittenSpan);
        }
        finally
        {
            Release(ref _first, first);
            Release(ref _second, second);
        }
    }

    /// <summary>Writes <paramref name="value"/> with <paramref name="write"/> and runs <paramref name="use"/> on the bytes (valid during the call only).</summary>
    public static TResult WithBytes<T, TState, TResult>(T value, TState state, Action<IBufferWriter<byte>, T, TState> write, Func<ReadOnlySpan<byte>, TResult> use)
    {
        var buffer = Take(ref _first);
        try
        {
            write(buffer, value, state);
            return use(buffer.WrittenSpan);
        }
        finally
        {
            Release(ref _first, buffer);
        }
    }

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
