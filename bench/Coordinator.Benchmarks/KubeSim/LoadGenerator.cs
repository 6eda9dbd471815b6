using System.Diagnostics;
using System.Globalization;
using k8s;
using k8s.Models;

namespace Coordinator.Benchmarks.KubeSim;

/// <summary>The outcome of one timed run.</summary>
internal sealed record LoadResult(long Requests, long Errors, TimeSpan Elapsed, double P50Ms, double P99Ms, string? FirstError)
{
    public double PerSecond => Requests / Elapsed.TotalSeconds;
}

/// <summary>
/// Drives the seed's objects on many clusters through KubernetesClient: <c>concurrency</c> async loops, each taking
/// the next cluster round-robin, one reused <see cref="Kubernetes"/> client per cluster.
/// </summary>
internal sealed class LoadGenerator(IReadOnlyList<Kubernetes> clients)
{
    public const string Namespace = "test";
    public const string Name = "rollouts-demo";

    public async Task<LoadResult> RunAsync(Operation op, int concurrency, TimeSpan duration, long maxRequests)
    {
        long next = 0, issued = 0, errors = 0;
        string? firstError = null;
        var latencies = new List<double>[concurrency];
        var stopwatch = Stopwatch.StartNew();
        var deadline = duration;
        async Task Worker(int w)
        {
            var mine = latencies[w] = new List<double>(4096);
            while (stopwatch.Elapsed < deadline && Interlocked.Increment(ref issued) <= maxRequests)
            {
                var n = Interlocked.Increment(ref next);
                var client = clients[(int)(n % clients.Count)];
                var start = Stopwatch.GetTimestamp();
                try
                {
                    await SendAsync(client, op, n);
                    mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
                catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException or TaskCanceledException)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, e.GetType().Name + ": " + e.Message, null);
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(() => Worker(w))));
        var elapsed = stopwatch.Elapsed;
        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(p * all.Length))];
        return new LoadResult(all.Length, errors, elapsed, Percentile(0.50), Percentile(0.99), firstError);
    }

    /// <summary>One request; <paramref name="n"/> makes every patch a real change (new resourceVersion, watch event).</summary>
    public static Task SendAsync(Kubernetes client, Operation op, long n)
    {
        var value = n.ToString(CultureInfo.InvariantCulture);
        switch (op)
        {
            case Operation.GetDeployment:
                return client.AppsV1.ReadNamespacedDeploymentAsync(Name, Namespace);
            case Operation.PatchDeployment:
                return client.AppsV1.PatchNamespacedDeploymentAsync(
                    new V1Patch("{\"metadata\":{\"annotations\":{\"bench.kubesim.io/seq\":\"" + value + "\"}}}", V1Patch.PatchType.MergePatch),
                    Name, Namespace);
            case Operation.PatchService:
                return client.CoreV1.PatchNamespacedServiceAsync(
                    new V1Patch("{\"metadata\":{\"labels\":{\"bench.kubesim.io/seq\":\"" + value + "\"}}}", V1Patch.PatchType.MergePatch),
                    Name, Namespace);
            case Operation.PatchVirtualService:
                var canary = (int)(n % 101);
                return client.CustomObjects.PatchNamespacedCustomObjectAsync(
                    new V1Patch("{\"spec\":{\"http\":[{\"name\":\"primary\",\"route\":[{\"destination\":{\"host\":\"rollouts-demo\"},\"weight\":"
                        + (100 - canary).ToString(CultureInfo.InvariantCulture) + "},{\"destination\":{\"host\":\"rollouts-demo-canary\"},\"weight\":"
                        + canary.ToString(CultureInfo.InvariantCulture) + "}]}]}}", V1Patch.PatchType.MergePatch),
                    "networking.istio.io", "v1", Namespace, "virtualservices", Name);
            default:
                throw new ArgumentOutOfRangeException(nameof(op));
        }
    }

    public static string OpName(Operation op) => op switch
    {
        Operation.GetDeployment => "get",
        Operation.PatchDeployment => "patch",
        Operation.PatchService => "patch_service",
        _ => "patch_virtualservice",
    };

    public static string OpDescription(Operation op) => op switch
    {
        Operation.GetDeployment => "GET deployments/rollouts-demo",
        Operation.PatchDeployment => "merge patch deployments/rollouts-demo metadata.annotations",
        Operation.PatchService => "merge patch services/rollouts-demo metadata.labels",
        _ => "merge patch virtualservices/rollouts-demo spec.http route weights",
    };
}
