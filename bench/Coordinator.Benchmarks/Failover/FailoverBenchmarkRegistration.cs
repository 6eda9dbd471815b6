using Coordinator.Benchmarks.Failover;

namespace Coordinator.Benchmarks;

internal static partial class BenchmarkRegistry
{
    static partial void RegisterFailover()
    {
        BenchmarkCommands.Register("failover", "kill 1 of 2 silos under 1,000 paused rollouts (Azurite): time until every rollout acts again (--help)", FailoverBenchmark.RunAsync);
        BenchmarkCommands.Register("failover-silo", "(internal) the second silo of the failover benchmark, in its own process", FailoverSilo.RunChildAsync);
    }
}
