using System.Diagnostics;

namespace Coordinator.Benchmarks.Fleet;

/// <summary>This process's memory (the silo's: KubeSim runs in its own process) after a full, compacting collection.</summary>
/// <remarks>
/// <see cref="PeakWorkingSetBytes"/> is the most the process has held at any moment of its life (the kernel's VmHWM),
/// the figure a container's memory limit is about; <see cref="GcAvailableBytes"/> is the GC's budget: its heap hard limit
/// when one is set (75 % of a container's limit, or <c>DOTNET_GCHeapHardLimit</c> as in such a container), otherwise the machine's memory.
/// </remarks>
internal sealed record SiloMemory(long WorkingSetBytes, long GcHeapBytes, long ManagedLiveBytes, long GcCommittedBytes, long PeakWorkingSetBytes, long GcAvailableBytes)
{
    public static SiloMemory Measure()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        using var process = Process.GetCurrentProcess();
        return new SiloMemory(process.WorkingSet64, info.HeapSizeBytes, GC.GetTotalMemory(false), info.TotalCommittedBytes,
            process.PeakWorkingSet64, info.TotalAvailableMemoryBytes);
    }

    public static double MiB(long bytes) => Math.Round(bytes / 1048576.0, 1);
}
