using System.Diagnostics;

namespace Coordinator.Benchmarks;

/// <summary>
/// The environment of a benchmark's KubeSim child process. KubeSim stands for the clusters' API servers, which run
/// elsewhere in a real fleet: a memory limit given to the benchmark's silo process (<c>DOTNET_GCHeapHardLimit</c>, what
/// the runtime derives from a container's memory limit) is the silo's budget, not theirs, and is not passed on.
/// </summary>
internal static class KubeSimProcessEnvironment
{
    private static readonly string[] SiloOnlyVariables =
    [
        "DOTNET_GCHeapHardLimit", "DOTNET_GCHeapHardLimitPercent", "COMPlus_GCHeapHardLimit", "COMPlus_GCHeapHardLimitPercent",
    ];

    public static void Apply(ProcessStartInfo start)
    {
        foreach (var name in SiloOnlyVariables) start.Environment.Remove(name);
    }
}
