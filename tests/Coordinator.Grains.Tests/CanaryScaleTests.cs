using Coordinator.Grains.Tests.Infrastructure;

namespace Coordinator.Grains.Tests;

/// <summary>
/// setCanaryScale and dynamicStableScale through the grain on KubeSim (ROLLOUT-BEHAVIOUR §3.5): the ReplicaSets' sizes in
/// the cluster at each step, with the traffic weights beside them. Indefinite pauses hold each step for the check.
/// </summary>
[Collection(CoordinatorCollection.Name)]
public sealed class CanaryScaleTests(CoordinatorFixture fixture)
{
    private const int N = 4;

    [Fact]
    public async Task SetCanaryScale_sizes_the_canary_without_moving_traffic_until_matchTrafficWeight()
    {
        var cluster = await fixture.NewClusterAsync();
        var manifest = WithReplicas(Manifests.Rollout(steps:
        [
            "setCanaryScale: {replicas: 3}", "pause: {}",
            "setWeight: 25", "pause: {}",
            "setCanaryScale: {weight: 50}", "pause: {}",
            "setCanaryScale: {matchTrafficWeight: true}", "pause: {}",
            "setWeight: 100",
        ]));
        var stable = await cluster.ApplyHealthyAsync(manifest);
        Assert.Equal(N, cluster.Replicas(stable));
        cluster.SetImage("argoproj/rollouts-demo:yellow");

        // (canary pods, stable pods, stable weight, canary weight) at each pause.
        var canary = await ExpectAtPauseAsync(cluster, step: 1, canaryPods: 3, stable, stablePods: N, weights: (100, 0));
        await PromoteAsync(cluster);
        await ExpectAtPauseAsync(cluster, step: 3, canaryPods: 3, stable, stablePods: N, weights: (75, 25)); // the scale holds over setWeight
        await PromoteAsync(cluster);
        await ExpectAtPauseAsync(cluster, step: 5, canaryPods: 2, stable, stablePods: N, weights: (75, 25)); // 50 % of 4 pods, traffic unchanged
        await PromoteAsync(cluster);
        await ExpectAtPauseAsync(cluster, step: 7, canaryPods: 1, stable, stablePods: N, weights: (75, 25)); // back to ceil(25 % of 4)
        await PromoteAsync(cluster);

        var healthy = await cluster.WaitForAsync(s => s.Phase == "Healthy" && s.StableHash == canary, "revision 2 healthy");
        Assert.Equal(9, healthy.CurrentStepIndex);
        await cluster.WaitUntilAsync(() => cluster.Replicas(canary) == N && cluster.Replicas(stable) == 0 && cluster.Weights() == (100, 0),
            "revision 2 at N, revision 1 scaled down, traffic on the stable route");
        await cluster.AssertEventsInOrderAsync(
            ("RolloutStepCompleted", "Rollout step 1/9 completed (setCanaryScale{replicas: 3})"),
            ("RolloutStepCompleted", "Rollout step 5/9 completed (setCanaryScale{weight: 50})"),
            ("RolloutStepCompleted", "Rollout step 7/9 completed (setCanaryScale{matchTrafficWeight: true})"));
    }

    [Fact]
    public async Task DynamicStableScale_shrinks_the_stable_only_after_traffic_left_it()
    {
        var cluster = await fixture.NewClusterAsync();
        var manifest = WithReplicas(Manifests.Rollout(
            steps: ["setWeight: 25", "pause: {}", "setWeight: 75", "pause: {}", "setWeight: 100"],
            canary: ["dynamicStableScale: true"]).Replace("      scaleDownDelaySeconds: 1\n", "")); // not allowed with dynamicStableScale
        var stable = await cluster.ApplyHealthyAsync(manifest);
        using var client = cluster.NewClient();
        await using var timeline = await ClusterTimeline.StartAsync(client, TestCluster.Namespace);
        cluster.SetImage("argoproj/rollouts-demo:yellow");

        var canary = await ExpectAtPauseAsync(cluster, step: 1, canaryPods: 1, stable, stablePods: 3, weights: (75, 25));
        await PromoteAsync(cluster);
        await ExpectAtPauseAsync(cluster, step: 3, canaryPods: 3, stable, stablePods: 1, weights: (25, 75));
        await PromoteAsync(cluster);
        await cluster.WaitForAsync(s => s.Phase == "Healthy" && s.StableHash == canary, "revision 2 healthy");
        await cluster.WaitUntilAsync(() => cluster.Replicas(canary) == N && cluster.Replicas(stable) == 0 && cluster.Weights() == (100, 0),
            "revision 2 at N, revision 1 at 0 without a scale-down delay");

        // The stable shrank only once the weights had moved away from it: 4 -> 3 after 75/25, 3 -> 1 after 25/75.
        var vs = "rollouts-demo";
        var rs1 = $"rollouts-demo-{stable}";
        Assert.True(timeline.FirstTime("VirtualService", vs, ClusterTimeline.VsWeights(75, 25)) < timeline.FirstTime("ReplicaSet", rs1, "3/3"), timeline.ToString());
        Assert.True(timeline.FirstTime("VirtualService", vs, ClusterTimeline.VsWeights(25, 75)) < timeline.FirstTime("ReplicaSet", rs1, "1/1"), timeline.ToString());
        Assert.DoesNotContain(timeline.Entries, e => e.Kind == "ReplicaSet" && e.Name == rs1 && e.State.StartsWith("2/", StringComparison.Ordinal));
    }

    /// <summary>Waits for the pause after <paramref name="step"/> steps, then checks the ReplicaSets and weights there; returns the canary hash.</summary>
    private static async Task<string> ExpectAtPauseAsync(TestCluster cluster, int step, int canaryPods, string stable, int stablePods, (int Stable, int Canary) weights)
    {
        var paused = await cluster.WaitForAsync(s => s.Revision == 2 && s.Phase == "Paused" && s.CurrentStepIndex == step, $"paused after step {step}");
        var canary = paused.CurrentPodHash;
        await cluster.WaitUntilAsync(() => cluster.Replicas(canary) == canaryPods && cluster.Replicas(stable) == stablePods && cluster.Weights() == weights,
            $"at step {step}: canary {canaryPods} pods, stable {stablePods}, weights {weights} (now {cluster.Replicas(canary)}, {cluster.Replicas(stable)}, {cluster.Weights()})",
            TimeSpan.FromSeconds(10));
        return canary;
    }

    private static async Task PromoteAsync(TestCluster cluster) => await cluster.Rollout().Promote(full: false);

    private static string WithReplicas(string manifest) => manifest.Replace("  replicas: 1\n", $"  replicas: {N}\n");
}
