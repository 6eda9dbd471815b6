namespace Coordinator.Silo.Hosting;

/// <summary>
/// The demo's FleetRollout (as deploy/examples/fleet/demo-yellow.yaml): the seed's change to yellow through the waves dev,
/// staging and prod, one cluster at a time, each wave baked before the next starts.
/// </summary>
internal static class DemoFleet
{
    public const string Name = "demo-yellow";
    public const string Image = "argoproj/rollouts-demo:yellow";

    /// <summary>Short enough to watch; <c>--demo-pause</c> sets it along with the seed's pauses.</summary>
    public const string DefaultBakeTime = "10s";

    private const string Manifest = """
        apiVersion: coordinator.io/v1alpha1
        kind: FleetRollout
        metadata:
          name: demo-yellow
        spec:
          rollout: {name: rollouts-demo, namespace: test}
          template:
            spec:
              containers:
              - name: rollouts-demo
                image: argoproj/rollouts-demo:yellow
          waves:
          - name: dev
            clusters: {names: [dev]}
            bakeTime: BAKE
          - name: staging
            clusters: {selector: {matchLabels: {env: staging}}}
            bakeTime: BAKE
          - name: prod
            maxParallel: 1
          failureBudget: 0
          clusterTimeout: 10m
          unreachable: fail
          onFailure: halt
        """;

    /// <summary>The manifest with the bake time given, e.g. <c>2s</c>.</summary>
    public static string Text(string bakeTime) => Manifest.Replace("BAKE", bakeTime, StringComparison.Ordinal);

    /// <summary>Phases after which the run changes no more.</summary>
    public static bool IsFinal(string phase) => phase is "Completed" or "Failed" or "Aborted" or "Reverted";
}
