using System.Diagnostics;
using Coordinator.Abstractions;
using Coordinator.Domain.Fleet;
using Orleans.TestingHost;
using static Coordinator.Benchmarks.BenchmarkSupport;

namespace Coordinator.Benchmarks.Fleet;

/// <summary>The two ways a run is driven: by the FleetRolloutGrain, or by this program as a client-side script.</summary>
internal static class FleetDrivers
{
    public const string FleetName = "bench";
    public const string WarmupFleetName = "warmup";
    public const string Yellow = "argoproj/rollouts-demo:yellow";
    private const string Container = "rollouts-demo";
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(15);

    /// <summary>Applies the measured FleetRollout and waits until its run is Completed; returns the time from Apply to Completed seen by a watcher.</summary>
    public static Task<TimeSpan> RunFleetAsync(InProcessTestCluster orleans, int clusters, IntOrPercent maxParallel, TimeSpan timeout, string image = Yellow) =>
        RunFleetAsync(orleans, FleetName, Yaml(FleetName, FleetLayout.MeasuredTier, Enumerable.Range(0, FleetLayout.CanaryCount(clusters)).Select(FleetLayout.ClusterName), maxParallel, image), timeout);

    /// <summary>The release before the measured one (<c>--warm-release</c>).</summary>
    public const string PreviousRelease = "argoproj/rollouts-demo:green";

    /// <summary>The same FleetRollout over the warm-up clusters only, to the given image.</summary>
    public static Task<TimeSpan> RunWarmupAsync(InProcessTestCluster orleans, int clusters, IntOrPercent maxParallel, string image, TimeSpan timeout) =>
        RunFleetAsync(orleans, WarmupFleetName, Yaml(WarmupFleetName, FleetLayout.WarmupTier, Enumerable.Range(0, FleetLayout.CanaryCount(clusters)).Select(FleetLayout.WarmupClusterName), maxParallel, image), timeout);

    private static async Task<TimeSpan> RunFleetAsync(InProcessTestCluster orleans, string name, string yaml, TimeSpan timeout)
    {
        var manifest = ParsedFleetManifest.Parse(yaml);
        var fleet = orleans.Client.GetGrain<IFleetRolloutGrain>(name);
        var clock = Stopwatch.StartNew();
        var snapshot = await fleet.Apply(manifest);
        Log($"fleet driver: Apply answered after {clock.Elapsed.TotalSeconds:0.0} s ({snapshot.Phase}: {snapshot.Message})");
        var nextReport = clock.Elapsed + ProgressEvery;
        while (snapshot.Phase != "Completed")
        {
            if (clock.Elapsed >= nextReport)
            {
                // A long run says where it is (the why-waiting line), so a stall is seen while it happens.
                Log($"fleet driver: {clock.Elapsed.TotalSeconds:0} s {snapshot.Phase}: {snapshot.Message}");
                nextReport += ProgressEvery;
            }
            if (snapshot.Phase is "Failed" or "Halted" or "Aborted" or "Reverted")
                throw new InvalidOperationException($"the fleet run ended {snapshot.Phase}: {snapshot.Message}");
            if (clock.Elapsed > timeout) throw new TimeoutException($"the fleet run did not complete: {snapshot.Phase}: {snapshot.Message}");
            // As `fleet get --watch` follows a run: the change feed answers as soon as a change is published.
            foreach (var change in await fleet.ChangesSince(snapshot.Version, TimeSpan.FromSeconds(1))) snapshot = change;
        }
        return clock.Elapsed;
    }

    /// <summary>
    /// The same waves driven from here: each wave's clusters, maxParallel at a time, get the Deployment write (through
    /// their RolloutGrain, as <c>rolloutctl set image</c>), and a slot frees when that cluster's Rollout is Healthy on it.
    /// </summary>
    public static async Task<TimeSpan> RunClientAsync(InProcessTestCluster orleans, int clusters, IntOrPercent maxParallel, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        using var cancel = new CancellationTokenSource(timeout);
        foreach (var wave in FleetLayout.Resolve(clusters))
        {
            await Parallel.ForEachAsync(wave, new ParallelOptions { MaxDegreeOfParallelism = maxParallel.ResolveUp(wave.Count), CancellationToken = cancel.Token },
                async (cluster, token) =>
                {
                    var grain = orleans.Client.GetGrain<IRolloutGrain>(new RolloutKey(cluster, FleetCommitLog.Namespace, "rollouts-demo").ToString());
                    var snapshot = await grain.SetImage(Container, Yellow);
                    while (!(snapshot.Phase == "Healthy" && snapshot.Revision > 1 && snapshot.StableHash == snapshot.CurrentPodHash))
                    {
                        token.ThrowIfCancellationRequested();
                        var changes = await grain.ChangesSince(snapshot.Version, TimeSpan.FromSeconds(20));
                        if (changes.Count > 0) snapshot = changes[^1];
                    }
                });
        }
        Log($"client driver: all waves done in {clock.Elapsed.TotalSeconds:0.0} s");
        return clock.Elapsed;
    }

    /// <summary>
    /// The FleetRollout as a user writes it: the clusters of one tier, in three waves: the canary by names, europe by
    /// selector, rest by default.
    /// </summary>
    private static string Yaml(string name, string tier, IEnumerable<string> canary, IntOrPercent maxParallel, string image) => $"""
        apiVersion: {FleetManifest.ApiVersion}
        kind: {FleetManifest.Kind}
        metadata:
          name: {name}
        spec:
          rollout: {"{"}name: rollouts-demo, namespace: {FleetCommitLog.Namespace}{"}"}
          clusters: {"{"}selector: {"{"}matchLabels: {"{"}tier: {tier}{"}"}{"}"}{"}"}
          template:
            spec:
              containers:
              - name: {Container}
                image: {image}
          waves:
          - name: canary
            clusters: {"{"}names: [{string.Join(", ", canary)}]{"}"}
            maxParallel: "{maxParallel}"
          - name: europe
            clusters: {"{"}selector: {"{"}matchLabels: {"{"}region: {FleetLayout.Regions[0]}{"}"}{"}"}{"}"}
            maxParallel: "{maxParallel}"
          - name: rest
            maxParallel: "{maxParallel}"
        """;
}
