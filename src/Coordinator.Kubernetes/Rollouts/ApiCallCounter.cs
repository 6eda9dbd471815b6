namespace Coordinator.Kubernetes.Rollouts;

/// <summary>Counts Kubernetes API calls made for rollouts, so benchmarks can report reads and writes per update.</summary>
public sealed class ApiCallCounter
{
    private long _reads;
    private long _writes;

    public long Reads => Interlocked.Read(ref _reads);

    public long Writes => Interlocked.Read(ref _writes);

    internal void Read(int count = 1) => Interlocked.Add(ref _reads, count);

    internal void Write() => Interlocked.Increment(ref _writes);
}
