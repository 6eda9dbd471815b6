using System.Diagnostics;

namespace Coordinator.Benchmarks.Fleet;

/// <summary>This process's memory (the silo's: KubeSim runs in its own process) after a full, compacting collection.</summary>
internal sealed record SiloMemory(long WorkingSetBytes, long GcHeapBytes, long ManagedLiveBytes, long GcCommittedBytes)
{
    public static SiloMemory Measure()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        using var process = Process.GetCurrentProcess();
        return new SiloMemory(process.WorkingSet64, info.HeapSizeBytes, GC.GetTotalMemory(false), info.TotalCommittedBytes);
    }

    public static double MiB(long bytes) => Math.Round(bytes / 1048576.0, 1);
}
