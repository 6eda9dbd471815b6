namespace Coordinator.Benchmarks;

/// <summary>The list of benchmarks; each adds one line here.</summary>
internal static partial class BenchmarkRegistry
{
    public static void RegisterAll()
    {
        RegisterKubeSim();
        RegisterRollouts();
        RegisterFailover();
        RegisterFleet();
    }

    static partial void RegisterKubeSim();

    static partial void RegisterRollouts();

    static partial void RegisterFailover();

    static partial void RegisterFleet();
}
