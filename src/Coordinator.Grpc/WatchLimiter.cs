namespace Coordinator.Grpc;

/// <summary>Counts the open WatchRollout streams of each client and refuses one more than the limit.</summary>
public sealed class WatchLimiter(int maxPerClient)
{
    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public int MaxPerClient { get; } = maxPerClient;

    /// <summary>A slot for one more stream of <paramref name="client"/>, released by disposing it; null when none is left.</summary>
    public IDisposable? TryOpen(string client)
    {
        lock (_lock)
        {
            var open = _open.GetValueOrDefault(client);
            if (open >= MaxPerClient) return null;
            _open[client] = open + 1;
        }
        return new Slot(this, client);
    }

    public int OpenBy(string client)
    {
        lock (_lock) return _open.GetValueOrDefault(client);
    }

    private void Close(string client)
    {
        lock (_lock)
        {
            if (_open[client] == 1) _open.Remove(client);
            else _open[client]--;
        }
    }

    private sealed class Slot(WatchLimiter limiter, string client) : IDisposable
    {
        private int _closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0) limiter.Close(client);
        }
    }
}
