namespace Coordinator.Benchmarks;

/// <summary>Dispatches to the benchmark named by the first argument.</summary>
public static class BenchmarkCommands
{
    private static readonly Dictionary<string, (string Help, Func<string[], Task<int>> Run)> Benchmarks = new(StringComparer.Ordinal);

    /// <summary>Benchmarks register themselves here (one file per benchmark, see the Register calls).</summary>
    public static void Register(string name, string help, Func<string[], Task<int>> run) => Benchmarks[name] = (help, run);

    public static async Task<int> RunAsync(string[] args)
    {
        BenchmarkRegistry.RegisterAll();
        if (args.Length == 0 || !Benchmarks.TryGetValue(args[0], out var benchmark))
        {
            Console.Error.WriteLine("usage: Coordinator.Benchmarks <benchmark> [options]");
            foreach (var (name, (help, _)) in Benchmarks.OrderBy(b => b.Key)) Console.Error.WriteLine($"  {name,-12} {help}");
            return args.Length == 0 ? 0 : 2;
        }
        return await benchmark.Run(args[1..]);
    }
}
