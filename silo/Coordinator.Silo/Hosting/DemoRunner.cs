using System.Reflection;
using System.Text;
using Coordinator.Abstractions;
using Coordinator.Kubernetes.Clusters;
using Coordinator.Silo.Configuration;
using Microsoft.Extensions.Options;

namespace Coordinator.Silo.Hosting;

/// <summary>Where the demo writes (the console; tests capture it).</summary>
public sealed class DemoOutput(TextWriter writer)
{
    public TextWriter Writer { get; } = writer;
}

/// <summary>
/// The one-command demo (<c>--demo</c>): applies the seed's Rollout to every cluster of the fleet, waits for Healthy,
/// then runs the seed's change (blue -> yellow) as a FleetRollout, waves dev, staging, prod with a bake time between,
/// and prints one line per cluster change (wave, cluster, state, step, weight, and the share of requests each image
/// gets by that snapshot's weight) until the run has completed.
/// </summary>
internal sealed class DemoRunner(
    IGrainFactory grains,
    ClusterRegistry registry,
    IOptions<CoordinatorOptions> options,
    IHostApplicationLifetime lifetime,
    DemoOutput output) : BackgroundService
{
    private TextWriter Out => output.Writer;

    private const string Namespace = "test";
    private const string Name = "rollouts-demo";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WhenStarted(stoppingToken);
        var clusters = registry.Clusters.Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();
        var rollouts = clusters.ToDictionary(c => c, c => grains.GetGrain<IRolloutGrain>(new RolloutKey(c, Namespace, Name).ToString()));
        // Parsed once, for every cluster, under the configured limits like any manifest.
        var manifest = ParsedManifest.Parse(SeedManifest(options.Value.DemoPause), options.Value.Limits.ToManifestLimits());

        Out.WriteLine($"demo: applying the seed Rollout to {string.Join(", ", clusters)}");
        await Task.WhenAll(rollouts.Values.Select(r => r.Apply(manifest)));
        var healthy = await ShowUntilAsync(rollouts, s => s.Phase == "Healthy" && !string.IsNullOrEmpty(s.StableHash), stoppingToken);

        await RunFleetAsync(healthy.ToDictionary(s => s.Key.Cluster, StableImage), stoppingToken);
    }

    /// <summary>Applies the demo's FleetRollout and prints every cluster change until the run ends.</summary>
    private async Task RunFleetAsync(IReadOnlyDictionary<string, string> stableImages, CancellationToken ct)
    {
        var bake = string.IsNullOrEmpty(options.Value.DemoPause) ? DemoFleet.DefaultBakeTime : options.Value.DemoPause;
        var manifest = ParsedFleetManifest.Parse(DemoFleet.Text(bake), options.Value.Limits.ToManifestLimits());
        Out.WriteLine($"demo: rolloutctl fleet apply -f deploy/examples/fleet/demo-yellow.yaml  ({DemoFleet.Image}: waves dev, staging, prod; bake {bake})");
        var fleetRollout = grains.GetGrain<IFleetRolloutGrain>(DemoFleet.Name);
        var snapshot = await fleetRollout.Apply(manifest);
        var printer = new DemoFleetPrinter(Out, stableImages, DemoFleet.Image);
        printer.Show(snapshot);
        while (!DemoFleet.IsFinal(snapshot.Phase))
            foreach (var change in await fleetRollout.ChangesSince(snapshot.Version, TimeSpan.FromSeconds(10)).WaitAsync(ct))
                printer.Show(snapshot = change);
        Out.WriteLine(snapshot.Phase == "Completed"
            ? "demo: every cluster serves yellow. The coordinator keeps running: try `dotnet run --project src/Coordinator.Cli -- fleet get demo-yellow`."
            : $"demo: the fleet rollout ended {snapshot.Phase}: {snapshot.Message}");
    }

    private static string StableImage(RolloutSnapshot s) =>
        s.ReplicaSets.FirstOrDefault(rs => rs.Roles.Contains("stable"))?.Images.FirstOrDefault() ?? "";

    /// <summary>Prints one line per cluster whenever any rollout changes, until all satisfy <paramref name="done"/>; returns the last snapshots.</summary>
    private async Task<IReadOnlyCollection<RolloutSnapshot>> ShowUntilAsync(Dictionary<string, IRolloutGrain> rollouts, Func<RolloutSnapshot, bool> done, CancellationToken ct)
    {
        var latest = (await Task.WhenAll(rollouts.Values.Select(r => r.Get()))).ToDictionary(s => s.Key.Cluster);
        Print(latest.Values);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var changes = System.Threading.Channels.Channel.CreateUnbounded<RolloutSnapshot>();
        // One follower per cluster, so a quiet cluster never delays the others' lines.
        var followers = latest.Values.Select(first => Task.Run(async () =>
        {
            var version = first.Version;
            while (!stop.IsCancellationRequested)
                foreach (var change in await rollouts[first.Key.Cluster].ChangesSince(version, TimeSpan.FromSeconds(2)))
                {
                    version = change.Version;
                    await changes.Writer.WriteAsync(change, stop.Token);
                }
        }, stop.Token)).ToList();

        while (!latest.Values.All(done))
        {
            var change = await changes.Reader.ReadAsync(ct);
            latest[change.Key.Cluster] = change;
            Print(latest.Values);
        }
        await stop.CancelAsync();
        await Task.WhenAll(followers.Select(f => f.ContinueWith(_ => { }, TaskScheduler.Default)));
        return latest.Values;
    }

    private void Print(IEnumerable<RolloutSnapshot> snapshots)
    {
        var block = new StringBuilder($"{DateTime.Now:HH:mm:ss}\n");
        foreach (var s in snapshots.OrderBy(s => s.Key.Cluster, StringComparer.Ordinal))
        {
            var step = s.CurrentStepIndex is { } i ? $"{i}/{s.StepCount}" : "-";
            block.Append($"  {s.Key.Cluster,-8} {s.Phase,-11} step {step,-4} weight {s.ActualWeight,3}   traffic: {DemoTraffic.Of(s)}\n");
        }
        Out.Write(block.ToString());
    }

    private static string SeedManifest(string? pause)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("seed-rollout.yaml")!;
        var yaml = new StreamReader(stream).ReadToEnd();
        yaml = yaml.Replace("metadata:\n  name: rollouts-demo\n", $"metadata:\n  name: rollouts-demo\n  namespace: {Namespace}\n");
        return string.IsNullOrEmpty(pause) ? yaml : yaml.Replace("duration: 30s", $"duration: {pause}");
    }

    private Task WhenStarted(CancellationToken ct)
    {
        var started = new TaskCompletionSource();
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(ct);
    }
}
