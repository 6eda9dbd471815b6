using Coordinator.Abstractions;
using Coordinator.Grains.Tests.Infrastructure;

namespace Coordinator.Grains.Tests.Fleet;

/// <summary>Clusters with the seed Rollout Healthy on revision 1, and helpers to write and follow FleetRollouts over them.</summary>
public sealed class FleetBed(CoordinatorFixture fixture, IReadOnlyList<TestCluster> clusters)
{
    public const string Yellow = "argoproj/rollouts-demo:yellow";
    public const string Red = "argoproj/rollouts-demo:red";

    /// <summary>Two quick steps and no pauses: a cluster's canary takes well under a second on KubeSim.</summary>
    public static readonly string QuickRollout = Manifests.Rollout(steps: ["setWeight: 50", "setWeight: 100"]);

    public IReadOnlyList<TestCluster> Clusters { get; } = clusters;

    public static async Task<FleetBed> CreateAsync(CoordinatorFixture fixture, int count)
    {
        var clusters = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => fixture.NewClusterAsync()));
        await Task.WhenAll(clusters.Select(c => c.ApplyHealthyAsync(QuickRollout)));
        return new FleetBed(fixture, clusters);
    }

    public IReadOnlyList<string> Names(params int[] indexes) => indexes.Select(i => Clusters[i].Name).ToList();

    public IFleetRolloutGrain Fleet(string name) => fixture.Grains.GetGrain<IFleetRolloutGrain>(name);

    /// <summary>A FleetRollout over this bed's clusters only (other tests' clusters have the same Rollout).</summary>
    public string Manifest(string name, string image, IEnumerable<string> waves, params string[] spec) => $$"""
        apiVersion: coordinator.io/v1alpha1
        kind: FleetRollout
        metadata:
          name: {{name}}
        spec:
          rollout: {name: rollouts-demo, namespace: test}
          template:
            spec:
              containers:
              - name: rollouts-demo
                image: {{image}}
          clusters: {names: [{{string.Join(", ", Clusters.Select(c => c.Name))}}]}
          waves:
        {{string.Concat(waves.Select(w => $"  - {w}\n"))}}{{string.Concat(spec.Select(s => $"  {s}\n"))}}
        """;

    /// <summary>A wave in YAML flow style: <c>{name: a, clusters: {names: [c1, c2]}, maxParallel: 1}</c>.</summary>
    public static string Wave(string name, IEnumerable<string> clusters, params string[] fields) =>
        $"{{name: {name}, clusters: {{names: [{string.Join(", ", clusters)}]}}{string.Concat(fields.Select(f => $", {f}"))}}}";

    public Task<FleetSnapshot> ApplyAsync(string manifest) =>
        Fleet(ParsedFleetManifest.Parse(manifest).Name).Apply(ParsedFleetManifest.Parse(manifest));

    /// <summary>Follows the fleet's change feed (no polling) until a snapshot satisfies <paramref name="condition"/>.</summary>
    public async Task<FleetSnapshot> WaitForAsync(string fleet, Func<FleetSnapshot, bool> condition, string what, TimeSpan? timeout = null)
    {
        var grain = Fleet(fleet);
        var snapshot = await grain.Get();
        var history = new List<string>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!condition(snapshot))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"fleet {fleet} did not reach {what}; it is {snapshot.Phase}: {snapshot.Message}\n{Describe(snapshot)}\n{string.Join("\n", history)}");
            foreach (var change in await grain.ChangesSince(snapshot.Version, TimeSpan.FromSeconds(1)))
            {
                snapshot = change;
                history.Add($"{DateTime.UtcNow:HH:mm:ss.fff} v{snapshot.Version} {snapshot.Phase}: {snapshot.Message} | {Describe(snapshot).Replace('\n', ';')}");
            }
        }
        return snapshot;
    }

    public static string Describe(FleetSnapshot snapshot) =>
        string.Join("\n", snapshot.Waves.SelectMany(w => w.Clusters.Select(c =>
            $"{w.Name}/{w.State} {c.Cluster}: {c.State} {c.RolloutPhase} step {c.Step}/{c.StepCount} weight {c.Weight} {c.FailureReason}")));
}
