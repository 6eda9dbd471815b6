using Coordinator.Benchmarks.Rollouts;

namespace Coordinator.Benchmarks;

internal static partial class BenchmarkRegistry
{
    static partial void RegisterRollouts()
    {
        BenchmarkCommands.Register("rollouts", "1,000 concurrent seed updates on KubeSim: step lag, writes per update, idle API calls (--help)", RolloutsBenchmark.RunAsync);
        FleetKubeSim.Register();
    }
}
