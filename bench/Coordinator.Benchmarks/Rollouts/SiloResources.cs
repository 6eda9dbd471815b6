using Coordinator.Benchmarks.Fleet;
using static Coordinator.Benchmarks.BenchmarkSupport;

namespace Coordinator.Benchmarks.Rollouts;

/// <summary>
/// Issue 12's "10,000 rollouts on one silo" resource figures, taken after the update: this process's memory after a full
/// collection (the silo runs here; with <c>--placement inprocess</c> KubeSim does too), the TCP sockets it holds, and the
/// watch streams open on KubeSim (all of them the silo's: the benchmark itself watches nothing).
/// </summary>
internal static class SiloResources
{
    public const double WorkingSetTargetMiB = 1024;

    public static async Task ReportAsync(RolloutFleet fleet, int rollouts, KubeSimPlacement placement)
    {
        // The benchmark's own API clients (set image, the readiness polls) hold connections too; close them first.
        foreach (var cluster in fleet.Clusters) cluster.DropConnections();
        var kubeSimPort = new Uri(fleet.KubeSimUrl).Port;
        var memory = SiloMemory.Measure();
        var sockets = ProcessSockets.Measure(kubeSimPort);
        var watches = await KubeSimStats.ReadAsync(fleet.KubeSimUrl);
        var workingSet = SiloMemory.MiB(memory.WorkingSetBytes);
        var pass = workingSet <= WorkingSetTargetMiB;
        Emit(new
        {
            benchmark = "rollouts", measurement = "silo_resources", rollouts,
            working_set_mib = workingSet, target_working_set_mib = WorkingSetTargetMiB, pass,
            gc_heap_mib = SiloMemory.MiB(memory.GcHeapBytes), managed_live_mib = SiloMemory.MiB(memory.ManagedLiveBytes),
            gc_committed_mib = SiloMemory.MiB(memory.GcCommittedBytes),
            // The GC's budget: the heap hard limit when one is set (DOTNET_GCHeapHardLimit, or 75 % of a container's
            // memory limit), otherwise the machine's memory.
            gc_available_mib = SiloMemory.MiB(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes),
            tcp_sockets = sockets.Tcp, tcp_sockets_to_kubesim = sockets.ConnectedToPort, tcp_listening = sockets.Listening,
            descriptors = sockets.Descriptors,
            watch_streams = watches.OpenWatches, watch_streams_by_resource = watches.OpenWatchesByResource,
            watch_streams_per_rollout = Math.Round((double)watches.OpenWatches / rollouts, 2),
            silo_gc = System.Runtime.GCSettings.IsServerGC ? "server" : "workstation",
            kubesim = placement == KubeSimPlacement.Separate ? "separate" : "inprocess",
        });
        Log($"silo after the update: working set {workingSet} MiB (target <= {WorkingSetTargetMiB:0}: {(pass ? "met" : "NOT met")}), " +
            $"GC heap {SiloMemory.MiB(memory.GcHeapBytes)} MiB after a full collection" +
            (placement == KubeSimPlacement.InProcess ? " (KubeSim included: --placement inprocess)" : "") +
            $"; {sockets.Tcp} TCP sockets ({sockets.ConnectedToPort} to KubeSim, {sockets.Listening} listening), {sockets.Descriptors} descriptors; " +
            $"{watches.OpenWatches} watch streams open on KubeSim ({string.Join(", ", watches.OpenWatchesByResource.Select(p => $"{p.Key} {p.Value}"))})");
    }
}
