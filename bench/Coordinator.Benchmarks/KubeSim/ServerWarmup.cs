using System.Diagnostics;

namespace Coordinator.Benchmarks.KubeSim;

/// <summary>
/// Unmeasured load right after a server starts, until tiered compilation is over in both processes. On two shared
/// cores a fresh KubeSim and the load generator re-JIT their hot code for 5-15 s under load, during which the server's
/// CPU per request is 1.5-3 times its sustained value (most of it the JIT's), so a 2 s warm-up measured mostly that.
/// The load runs in 1 s slices until two slices in a row have compiled for less than <see cref="QuietJitPerSlice"/>
/// in the server (its tiered-compilation thread, from /proc) and in this process (<see cref="System.Runtime.JitInfo"/>),
/// or the limit passes.
/// </summary>
internal static class ServerWarmup
{
    private static readonly TimeSpan Slice = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan QuietJitPerSlice = TimeSpan.FromMilliseconds(20);
    private const int QuietSlices = 2;

    /// <returns>How long the warm-up ran.</returns>
    public static async Task<TimeSpan> RunAsync(SimHost host, LoadGenerator load, Operation op, int concurrency, TimeSpan limit, long maxRequests)
    {
        if (limit <= TimeSpan.Zero) return TimeSpan.Zero;
        var started = Stopwatch.StartNew();
        var quiet = 0;
        double lastPerRequest = 0;
        while (started.Elapsed < limit)
        {
            var serverJit = host.ServerJitTime;
            var ownJit = System.Runtime.JitInfo.GetCompilationTime();
            var cpu = host.ServerCpu;
            var r = await load.RunAsync(op, concurrency, Slice, maxRequests);
            if (r.Requests > 0) lastPerRequest = (host.ServerCpu - cpu).TotalMicroseconds / r.Requests;
            var compiling = host.ServerJitTime - serverJit >= QuietJitPerSlice || System.Runtime.JitInfo.GetCompilationTime() - ownJit >= QuietJitPerSlice;
            quiet = compiling ? 0 : quiet + 1;
            if (quiet >= QuietSlices)
            {
                Console.Error.WriteLine($"kubesim: warm-up {started.Elapsed.TotalSeconds:F0}s until JIT was done (server CPU per request in the last second: {lastPerRequest:F0} us)");
                return started.Elapsed;
            }
        }
        Console.Error.WriteLine($"kubesim: warm-up stopped at its {limit.TotalSeconds:F0}s limit with JIT still busy (server CPU per request in the last second: {lastPerRequest:F0} us)");
        return started.Elapsed;
    }
}
