extern alias cli;
using cli::Coordinator.Grpc.V1;
using RolloutsClient = cli::Coordinator.Grpc.V1.Rollouts.RolloutsClient;

namespace Coordinator.Silo.Tests.Fleet;

/// <summary>The manifests of the fleet tests: the seed Rollout with short pauses, and FleetRollouts of the seed's change.</summary>
public static class FleetScenario
{
    public const string Yellow = "argoproj/rollouts-demo:yellow";

    /// <summary>The seed Rollout with 1 s pauses and scale-down delays, so a cluster goes through its canary in seconds.</summary>
    public static Task<string> QuickSeedRolloutAsync() =>
        Task.FromResult(Coordinator.Testing.Manifests.SeedRollout.Replace("duration: 30s", "duration: 1s")
            .Replace("      canaryService:", "      scaleDownDelaySeconds: 1\n      abortScaleDownDelaySeconds: 1\n      canaryService:"));

    /// <summary>Applies the quick seed Rollout in every cluster and waits until it is Healthy everywhere.</summary>
    public static async Task ApplyQuickSeedAsync(RolloutsClient rollouts)
    {
        await rollouts.ApplyRolloutAsync(new ApplyRolloutRequest { Manifest = await QuickSeedRolloutAsync(), Namespace = "test" });
        var request = new RolloutRequest { Name = "rollouts-demo", Namespace = "test" };
        await SiloFixture.WaitUntilAsync(() => rollouts.GetRollout(request).Clusters.All(c => c.Phase == "Healthy" && c.StableHash.Length > 0),
            "the seed rollout is Healthy in every cluster");
    }

    /// <summary>The seed's change to yellow in three waves dev, staging, prod; <paramref name="gated"/> makes dev wait for approval.</summary>
    public static string Fleet(string name, bool gated = false, string bake = "1s") => $$"""
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
                image: {{Yellow}}
          waves:
          - name: dev
            clusters: {names: [dev]}
            requireApproval: {{(gated ? "true" : "false")}}
            bakeTime: {{bake}}
          - name: staging
            clusters:
              selector:
                matchLabels: {env: staging}
            bakeTime: {{bake}}
          - name: prod
            maxParallel: 1
          failureBudget: 0
          onFailure: halt
        """;

    public static string ImageIn(Coordinator.KubeSim.Hosting.KubeSimServer fleet, string cluster) =>
        fleet.Clusters.Single(c => c.Name == cluster).Get("deployments", "test", "rollouts-demo")!["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>();
}
