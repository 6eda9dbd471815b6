using System.Diagnostics;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Coordinator.Benchmarks.KubeSim;

/// <summary>
/// The KubeSim benchmark (issue 2): GET/s and PATCH/s sustained from KubernetesClient over 1, 100 and 1,000 seeded
/// clusters (KubeSim in a child process and in process), and memory per idle seeded cluster. Targets:
/// at least 10,000 PATCH/s (issue 12; issue 2 asked for 5,000), at most 100 KB per idle cluster.
/// </summary>
internal static class KubeSimBenchmark
{
    public const double PatchTargetPerSecond = 10_000;
    public const double IdleClusterTargetBytes = 100 * 1024;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = KubeSimBenchOptions.Parse(args, out var error);
        if (options == null)
        {
            if (!string.IsNullOrEmpty(error)) Console.Error.WriteLine($"error: {error}");
            Console.Error.WriteLine(KubeSimBenchOptions.Usage);
            return error == "" ? 0 : 2;
        }
        Emit(new JsonObject
        {
            ["benchmark"] = "kubesim", ["measure"] = "environment", ["processors"] = Environment.ProcessorCount,
            ["os"] = RuntimeInformation.OSDescription, ["runtime"] = RuntimeInformation.FrameworkDescription,
            ["client_server_gc"] = GCSettings.IsServerGC,
            ["loadavg_at_start"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null,
            ["server_dll"] = options.ServerDll ?? ChildProcessHost.DefaultServerDll(),
#if DEBUG
            ["configuration"] = "Debug",
#else
            ["configuration"] = "Release",
#endif
        });
        // Memory first, in a heap the load runs have not churned yet.
        if (options.MemoryClusters > 0) await MeasureIdleMemoryAsync(options.MemoryClusters);
        var results = new List<(ServerPlacement Placement, int Clusters, Operation Op, int Concurrency, LoadResult Result)>();
        if (!options.SkipLoad)
        {
            foreach (var placement in options.Placements)
            {
                foreach (var clusters in options.ClusterCounts)
                    results.AddRange(await RunLoadAsync(options, placement, clusters));
            }
            Summarize(results);
        }
        return 0;
    }

    private static async Task<List<(ServerPlacement, int, Operation, int, LoadResult)>> RunLoadAsync(KubeSimBenchOptions options, ServerPlacement placement, int clusters)
    {
        var results = new List<(ServerPlacement, int, Operation, int, LoadResult)>();
        var setup = Stopwatch.StartNew();
        await using SimHost host = placement == ServerPlacement.Separate
            ? await ChildProcessHost.StartAsync(options.ServerDll ?? ChildProcessHost.DefaultServerDll(), clusters, explicitNames: options.ServerDll != null)
            : await InProcessHost.StartAsync(clusters);
        Console.Error.WriteLine($"kubesim: {clusters} seeded cluster(s), {host.Description}, ready in {setup.Elapsed.TotalSeconds:F1}s");
        var load = new LoadGenerator(host.Clients);
        var warmedUp = await ServerWarmup.RunAsync(host, load, options.Operations[0], options.Concurrencies.Max(), options.ServerWarmup, options.MaxRequests);
        foreach (var op in options.Operations)
        {
            foreach (var concurrency in options.Concurrencies)
            {
                if (options.Warmup > TimeSpan.Zero) await load.RunAsync(op, concurrency, options.Warmup, options.MaxRequests);
                var serverCpu = host.ServerCpu;
                var ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
                var r = await load.RunAsync(op, concurrency, options.Duration, options.MaxRequests);
                serverCpu = host.ServerCpu - serverCpu;
                ownCpu = Process.GetCurrentProcess().TotalProcessorTime - ownCpu;
                results.Add((placement, clusters, op, concurrency, r));
                var line = new JsonObject
                {
                    ["benchmark"] = "kubesim",
                    ["measure"] = op == Operation.GetDeployment ? "get_per_second" : "patch_per_second",
                    ["operation"] = LoadGenerator.OpName(op),
                    ["placement"] = placement == ServerPlacement.Separate ? "separate" : "inprocess",
                    ["clusters"] = clusters,
                    ["value"] = Math.Round(r.PerSecond),
                    ["concurrency"] = concurrency,
                    ["duration_s"] = Math.Round(r.Elapsed.TotalSeconds, 2),
                    ["requests"] = r.Requests,
                    ["errors"] = r.Errors,
                    ["p50_ms"] = Math.Round(r.P50Ms, 2),
                    ["p99_ms"] = Math.Round(r.P99Ms, 2),
                    ["server_warmup_s"] = Math.Round(warmedUp.TotalSeconds, 1),
                };
                if (placement == ServerPlacement.Separate)
                {
                    line["server_cpu_s"] = Math.Round(serverCpu.TotalSeconds, 2);
                    line["client_cpu_s"] = Math.Round(ownCpu.TotalSeconds, 2);
                    // Less sensitive to other load on the machine than the rate.
                    line["server_cpu_us_per_request"] = r.Requests == 0 ? null : Math.Round(serverCpu.TotalMicroseconds / r.Requests, 1);
                    line["client_cpu_us_per_request"] = r.Requests == 0 ? null : Math.Round(ownCpu.TotalMicroseconds / r.Requests, 1);
                }
                else
                {
                    line["process_cpu_s"] = Math.Round(ownCpu.TotalSeconds, 2);
                    line["process_cpu_us_per_request"] = r.Requests == 0 ? null : Math.Round(ownCpu.TotalMicroseconds / r.Requests, 1);
                }
                Emit(line);
                Console.Error.WriteLine($"  {LoadGenerator.OpDescription(op),-62} concurrency {concurrency,4}: {r.PerSecond,8:F0}/s  p50 {r.P50Ms,6:F2} ms  p99 {r.P99Ms,6:F2} ms"
                    + (r.Errors > 0 ? $"  {r.Errors} errors, first: {r.FirstError}" : "")
                    + (placement == ServerPlacement.Separate
                        ? $"  cpu/request server {serverCpu.TotalMicroseconds / Math.Max(1, r.Requests):F0} us client {ownCpu.TotalMicroseconds / Math.Max(1, r.Requests):F0} us"
                        : $"  cpu/request {ownCpu.TotalMicroseconds / Math.Max(1, r.Requests):F0} us"));
            }
        }
        return results;
    }

    private static void Summarize(List<(ServerPlacement Placement, int Clusters, Operation Op, int Concurrency, LoadResult Result)> results)
    {
        Console.Error.WriteLine();
        Console.Error.WriteLine("kubesim: best of the concurrencies tried");
        foreach (var g in results.GroupBy(r => (r.Placement, r.Clusters, r.Op)))
        {
            var best = g.MaxBy(r => r.Result.PerSecond);
            var isPatch = g.Key.Op != Operation.GetDeployment;
            var line = new JsonObject
            {
                ["benchmark"] = "kubesim",
                ["measure"] = isPatch ? "patch_per_second" : "get_per_second",
                ["summary"] = "best",
                ["operation"] = LoadGenerator.OpName(g.Key.Op),
                ["placement"] = g.Key.Placement == ServerPlacement.Separate ? "separate" : "inprocess",
                ["clusters"] = g.Key.Clusters,
                ["value"] = Math.Round(best.Result.PerSecond),
                ["concurrency"] = best.Concurrency,
                ["concurrencies_tried"] = new JsonArray(g.Select(r => (JsonNode)r.Concurrency).ToArray()),
            };
            if (isPatch) line["target_met"] = best.Result.PerSecond >= PatchTargetPerSecond;
            Emit(line);
            Console.Error.WriteLine($"  {line["placement"],-10} {g.Key.Clusters,5} clusters  {LoadGenerator.OpName(g.Key.Op),-22} {best.Result.PerSecond,8:F0}/s at concurrency {best.Concurrency}"
                + (isPatch ? (best.Result.PerSecond >= PatchTargetPerSecond ? $"  (target >= {PatchTargetPerSecond:F0}: met)" : $"  (target >= {PatchTargetPerSecond:F0}: NOT met)") : ""));
        }
    }

    /// <summary>
    /// In process, no HTTP: managed heap after a full compacting GC, before and after adding N seeded clusters whose
    /// controllers are idle and whose pod is ready (a warm-up cluster first, so JIT and static caches are not counted).
    /// </summary>
    private static async Task MeasureIdleMemoryAsync(int count)
    {
        await using var server = await Coordinator.KubeSim.Hosting.KubeSimServer.StartAsync(new Coordinator.KubeSim.Hosting.KubeSimOptions { Port = 0 });
        var warm = server.AddCluster("warm-up");
        warm.LoadSeed();
        await SettleAsync([warm]);

        var before = FullGc();
        var committedBefore = GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes;
        var process = Process.GetCurrentProcess();
        var workingSetBefore = process.WorkingSet64;
        var started = Stopwatch.StartNew();
        var clusters = new List<Coordinator.KubeSim.Hosting.SimCluster>(count);
        for (var i = 1; i <= count; i++)
        {
            var c = server.AddCluster("idle-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            c.LoadSeed();
            clusters.Add(c);
        }
        await SettleAsync(clusters);
        var seeded = started.Elapsed;
        clusters.Clear(); // the server holds them; measure what it holds
        var after = FullGc();
        var committedAfter = GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes;
        process.Refresh();
        var workingSetAfter = process.WorkingSet64;
        var perCluster = (after - before) / (double)count;
        var objects = 0;
        foreach (var kind in new[] { "namespaces", "deployments", "replicasets", "pods", "services", "virtualservices", "events" })
            objects += warm.List(kind).Count;
        Emit(new JsonObject
        {
            ["benchmark"] = "kubesim",
            ["measure"] = "bytes_per_idle_cluster",
            ["clusters"] = count,
            ["value"] = Math.Round(perCluster),
            ["objects_per_cluster"] = objects,
            ["heap_before_bytes"] = before,
            ["heap_after_bytes"] = after,
            ["gc_committed_per_cluster_bytes"] = Math.Round((committedAfter - committedBefore) / (double)count),
            ["working_set_per_cluster_bytes"] = Math.Round((workingSetAfter - workingSetBefore) / (double)count),
            ["seed_and_settle_s"] = Math.Round(seeded.TotalSeconds, 2),
            ["target_met"] = perCluster <= IdleClusterTargetBytes,
        });
        Console.Error.WriteLine($"kubesim: {count} idle seeded clusters ({objects} objects each, pod ready, controllers idle): "
            + $"{perCluster / 1024:F1} KiB managed heap per cluster (target <= 100 KB: {(perCluster <= IdleClusterTargetBytes ? "met" : "NOT met")}), "
            + $"GC committed +{(committedAfter - committedBefore) / (double)count / 1024:F1} KiB, working set +{(workingSetAfter - workingSetBefore) / (double)count / 1024:F1} KiB per cluster; "
            + $"seeded and settled in {seeded.TotalSeconds:F1}s");
    }

    private static async Task SettleAsync(IReadOnlyList<Coordinator.KubeSim.Hosting.SimCluster> clusters)
    {
        var deadline = Stopwatch.StartNew();
        foreach (var c in clusters)
        {
            while (true)
            {
                await c.WhenControllersIdleAsync();
                var status = c.Get("deployments", LoadGenerator.Namespace, LoadGenerator.Name)?["status"];
                if (status?["readyReplicas"]?.GetValue<long>() == 1 && status["availableReplicas"]?.GetValue<long>() == 1) break;
                if (deadline.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException($"cluster {c.Name} did not settle");
                await Task.Delay(20);
            }
        }
        // Each pod's readiness timer has fired (the deployment saw it); let the last controller passes finish.
        foreach (var c in clusters) await c.WhenControllersIdleAsync();
    }

    private static long FullGc()
    {
        for (var i = 0; i < 3; i++)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static void Emit(JsonObject line) => Console.Out.WriteLine(line.ToJsonString());
}
