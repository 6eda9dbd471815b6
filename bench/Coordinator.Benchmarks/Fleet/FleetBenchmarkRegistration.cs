using Coordinator.Benchmarks.Fleet;

namespace Coordinator.Benchmarks;

internal static partial class BenchmarkRegistry
{
    static partial void RegisterFleet()
    {
        BenchmarkCommands.Register("fleet", "FleetRollouts of 1,000 / 10,000 clusters on KubeSim: total time, wave decision latency, silo memory, ratio to bare writes (--help)", FleetBenchmark.RunAsync);
        BenchmarkCommands.Register("fleet-passes", "one FleetRolloutGrain pass (decide, save, snapshot) at 1,000 / 10,000 clusters, no silo (--clusters n,n)", FleetPassBenchmark.RunAsync);
        FleetKubeSim.Register();
    }
}
