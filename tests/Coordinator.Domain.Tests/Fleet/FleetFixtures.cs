using Coordinator.Domain.Fleet;
using Coordinator.Domain.Manifest;

namespace Coordinator.Domain.Tests.Fleet;

/// <summary>The issue's FleetRollout, and fleets to resolve it against.</summary>
internal static class FleetFixtures
{
    /// <summary>The shape issue #11 asks to accept, verbatim.</summary>
    public const string IssueYaml = """
        apiVersion: coordinator.io/v1alpha1
        kind: FleetRollout
        metadata:
          name: demo-yellow
        spec:
          rollout: {name: rollouts-demo, namespace: test}   # the Rollout already applied to the clusters
          template:                     # the change: a strategic-merge patch of the Deployment's pod template
            spec:
              containers:
              - name: rollouts-demo
                image: argoproj/rollouts-demo:yellow
          clusters:                     # optional: which clusters take part (names or selector); default all that have the Rollout
            selector: {matchLabels: {app-tier: web}}
          waves:                        # in order; a cluster is in the first wave that selects it
          - name: canary
            clusters: {names: [dev]}
            maxParallel: 1              # count or percentage of the wave
            bakeTime: 30s               # after every cluster of the wave is Healthy
          - name: europe
            clusters: {selector: {matchLabels: {region: europe}}}
            maxParallel: 25%
            requireApproval: true       # wait for `fleet approve` before the wave starts
            failureBudget: 0            # failed clusters this wave tolerates (count or %)
          - name: rest                  # no clusters: every remaining cluster
            maxParallel: 10
            failureBudget: 10%
          failureBudget: 2              # across the whole run
          clusterTimeout: 10m           # a cluster not Healthy on the new revision by then has failed
          unreachable: fail             # wait | skip | fail (after clusterTimeout)
          onFailure: halt               # halt | revert

        """;

    /// <summary>A minimal valid FleetRollout (one wave, every cluster), followed by <paramref name="specTail"/> (YAML lines, spec fields indented two spaces).</summary>
    public static string Minimal(string specTail = "") => $$$"""
        apiVersion: coordinator.io/v1alpha1
        kind: FleetRollout
        metadata:
          name: f
        spec:
          rollout: {name: rollouts-demo, namespace: test}
          template: {spec: {containers: [{name: rollouts-demo, image: "argoproj/rollouts-demo:yellow"}]}}
          waves:
          - name: all
        {{{specTail}}}
        """;

    public static FleetManifest Parse(string text) => FleetManifest.Parse(text, ManifestLimits.Default);

    public static FleetSpec IssueSpec => Parse(IssueYaml).Spec;

    /// <summary>The embedded fleet (silo's EmbeddedFleet defaults): dev and staging in europe-west1, prod in us-east1.</summary>
    public static IReadOnlyList<FleetCluster> EmbeddedFleet { get; } =
    [
        Cluster("dev", ("region", "europe-west1"), ("env", "dev")),
        Cluster("staging", ("region", "europe-west1"), ("env", "staging")),
        Cluster("prod", ("region", "us-east1"), ("env", "prod")),
    ];

    /// <summary>Nine clusters: three per region, tier web except every third.</summary>
    public static IReadOnlyList<FleetCluster> NineClusters { get; } =
    [
        .. new[] { "europe", "us", "asia" }.SelectMany(region => Enumerable.Range(1, 3).Select(i =>
            Cluster($"{region}-{i}", ("region", region), ("app-tier", i == 3 ? "batch" : "web")))),
    ];

    public static FleetCluster Cluster(string name, params (string Key, string Value)[] labels) =>
        new(name, labels.ToDictionary(l => l.Key, l => l.Value));
}
