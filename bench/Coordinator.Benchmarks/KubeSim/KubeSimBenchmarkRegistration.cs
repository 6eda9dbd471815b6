using Coordinator.Benchmarks.KubeSim;

namespace Coordinator.Benchmarks;

internal static partial class BenchmarkRegistry
{
    static partial void RegisterKubeSim() =>
        BenchmarkCommands.Register("kubesim", "GET/s and PATCH/s from KubernetesClient over 1/100/1000 clusters; memory per idle cluster (--help)", KubeSimBenchmark.RunAsync);
}
