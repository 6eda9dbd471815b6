namespace Coordinator.Kubernetes.Rollouts;

/// <summary>
/// Counts Kubernetes API calls made for rollouts, so benchmarks can report reads and writes per update. Attempts are
/// counted before the call (a refused write still cost a round trip); acknowledged writes are also reported one by one.
/// </summary>
public sealed class ApiCallCounter
{
    private long _reads;
    private long _writes;
    private long _cacheLooks;

    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>Looks at a cluster answered by its watch cache, without an API call.</summary>
    public long CacheLooks => Interlocked.Read(ref _cacheLooks);

    /// <summary>Write attempts, acknowledged or not.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>
    /// Raised after the API server acknowledged a write made for a rollout (what was written, and when the answer came).
    /// Runs on the caller's thread: handlers must be quick and must not throw.
    /// </summary>
    public event Action<AcknowledgedWrite>? WriteAcknowledged;

    internal void Read(int count = 1) => Interlocked.Add(ref _reads, count);

    internal void CacheLook() => Interlocked.Increment(ref _cacheLooks);

    internal void Write() => Interlocked.Increment(ref _writes);

    internal void Acknowledged(string cluster, string @namespace, string operation, string name, DateTimeOffset at) =>
        WriteAcknowledged?.Invoke(new AcknowledgedWrite(cluster, @namespace, operation, name, at));
}

/// <summary>One acknowledged write: <paramref name="Operation"/> is e.g. <c>replicaset.scale</c>, <c>virtualservice.update</c>, <c>event.create</c>.</summary>
public sealed record AcknowledgedWrite(string Cluster, string Namespace, string Operation, string Name, DateTimeOffset At);
