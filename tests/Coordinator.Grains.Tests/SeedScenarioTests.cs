using Coordinator.Abstractions;
using Coordinator.Grains.Tests.Infrastructure;

namespace Coordinator.Grains.Tests;

/// <summary>
/// Replays the seed experiment (shared/seed/README.md) against KubeSim through the real grain, real
/// KubernetesClient and real HTTP, with 1 s pauses, and asserts the cluster states in the order a user
/// of Argo Rollouts sees them.
/// </summary>
[Collection(CoordinatorCollection.Name)]
public sealed class SeedScenarioTests(CoordinatorFixture fixture)
{
    private const string Stable = "rollouts-demo";
    private const string Canary = "rollouts-demo-canary";

    [Fact]
    public async Task Initial_deploy_then_yellow_then_red_then_deletion_follow_the_seed()
    {
        var cluster = await fixture.NewClusterAsync();
        using var client = cluster.NewClient();
        await using var timeline = await ClusterTimeline.StartAsync(client, TestCluster.Namespace);

        // §3: creating the Rollout copies the Deployment into revision 1 and moves both Services to it.
        await cluster.Rollout().Apply(Manifests.FastSeedRollout());
        var healthy = await cluster.WaitForPhaseAsync("Healthy");
        var h1 = healthy.StableHash;
        var rs1 = $"rollouts-demo-{h1}";
        Assert.Equal(7, healthy.CurrentStepIndex);
        await cluster.WaitUntilAsync(() => cluster.SelectorHash(Canary) == h1, "both services select revision 1");
        Assert.Equal(h1, cluster.SelectorHash(Stable));
        Assert.Equal((100, 0), cluster.Weights());
        Assert.True(timeline.FirstTime("Service", Stable, h1) < timeline.FirstTime("Service", Canary, h1), "stable switched first");
        Assert.True(timeline.FirstTime("ReplicaSet", rs1, "1/1") < timeline.FirstTime("Service", Stable, h1), "services switch only once the RS is available");
        await cluster.AssertEventsInOrderAsync(
            ("RolloutUpdated", "Rollout updated to revision 1"),
            ("NewReplicaSetCreated", $"Created ReplicaSet {rs1} (revision 1)"),
            ("ScalingReplicaSet", $"Scaled up ReplicaSet {rs1} (revision 1) from 0 to 1"),
            ("RolloutCompleted", $"Rollout completed update to revision 1 ({h1}): Initial deploy"),
            ("SwitchService", $"Switched selector for service '{Stable}' from '' to '{h1}'"),
            ("SwitchService", $"Switched selector for service '{Canary}' from '' to '{h1}'"));
        Assert.DoesNotContain(cluster.RolloutEvents(), e => e.Reason == "RolloutStepCompleted");

        // §4: yellow.
        var h2 = await UpdateAndAssertCanaryAsync(cluster, timeline, "argoproj/rollouts-demo:yellow", h1, revision: 2);

        // §5: red.
        var h3 = await UpdateAndAssertCanaryAsync(cluster, timeline, "argoproj/rollouts-demo:red", h2, revision: 3);
        Assert.Equal(1.0, cluster.Sim.Traffic(TestCluster.Namespace, "rollouts-demo.local").ShareByImage["argoproj/rollouts-demo:red"], 3);

        // §6: deletion hands traffic back to the Deployment's pods, then removes the ReplicaSets.
        await cluster.Rollout().Delete();
        await cluster.WaitUntilAsync(() => cluster.RolloutReplicaSets().Count == 0, "the rollout's ReplicaSets are deleted");
        Assert.Null(cluster.SelectorHash(Stable));
        Assert.Null(cluster.SelectorHash(Canary));
        var traffic = cluster.Sim.Traffic(TestCluster.Namespace, "rollouts-demo.local");
        Assert.Equal(0, traffic.ErrorShare);
        Assert.Equal(1.0, traffic.ShareByImage["argoproj/rollouts-demo:red"], 3); // the Deployment itself runs red by now
        Assert.False((await cluster.Rollout().Get()).Exists);
        Assert.Null(cluster.Sim.Get("configmaps", TestCluster.Namespace, "rollouts-demo.rollout")); // the owner goes last
        Assert.Contains(cluster.RolloutEvents(), e => e == ("RolloutDeleted", $"Rollout rollouts-demo/{TestCluster.Namespace} is deleted."));
        Assert.True(timeline.FirstTime("Service", Stable, "") < timeline.FirstTime("ReplicaSet", $"rollouts-demo-{h3}", "deleted"),
            "selectors are restored before the ReplicaSets go");
    }

    /// <summary>One update of the seed: canary switch, 95/5, 80/20, 20/80, 0/100, stable switch, 100/0, old RS to 0.</summary>
    private static async Task<string> UpdateAndAssertCanaryAsync(TestCluster cluster, ClusterTimeline timeline, string image, string oldHash, int revision)
    {
        var oldRs = $"rollouts-demo-{oldHash}";
        cluster.SetImage(image);
        var snapshot = await cluster.WaitForAsync(s => s.Phase == "Healthy" && s.Revision == revision && s.StableHash != oldHash,
            $"revision {revision} healthy and stable", TimeSpan.FromSeconds(60));
        var newHash = snapshot.StableHash;
        var newRs = $"rollouts-demo-{newHash}";
        Assert.Equal(revision, snapshot.Revision);
        await cluster.WaitUntilAsync(() => timeline.StatesOf("ReplicaSet", oldRs).LastOrDefault()?.StartsWith("0/") == true, $"{oldRs} is scaled to 0");

        // The VirtualService goes through every step weight, in order, and ends at 100/0.
        var vsStates = timeline.StatesOf("VirtualService", "rollouts-demo");
        var expected = new[] { W(100, 0), W(95, 5), W(80, 20), W(20, 80), W(0, 100), W(100, 0) };
        Assert.True(IsSubsequence(expected, vsStates.SkipWhile(s => s != W(100, 0)).ToList()),
            $"weights {string.Join(" -> ", vsStates)}\n{timeline}");
        var at95 = FirstAfter(timeline, "VirtualService", "rollouts-demo", W(95, 5), timeline.FirstTime("ReplicaSet", newRs, "1/0"));
        var at0 = FirstAfter(timeline, "VirtualService", "rollouts-demo", W(0, 100), at95);
        var back = FirstAfter(timeline, "VirtualService", "rollouts-demo", W(100, 0), at0);

        // The canary Service moves to the new hash only once it has an available pod, before any weight goes to it.
        var canarySwitch = timeline.FirstTime("Service", Canary, newHash);
        Assert.True(timeline.FirstTime("ReplicaSet", newRs, "1/1") < canarySwitch, "canary switched only when the new RS is available");
        Assert.True(canarySwitch < at95, "canary switched before 95/5");

        // The stable Service switches while the stable weight is still 0, then the weights go back to 100/0.
        var stableSwitch = timeline.FirstTime("Service", Stable, newHash);
        Assert.True(at0 < stableSwitch && stableSwitch < back, $"stable switch between 0/100 and 100/0\n{timeline}");

        // The old ReplicaSet keeps its pod through the scale-down delay and goes to 0 only after traffic left it.
        var scaledDown = timeline.Entries.First(e => e.Kind == "ReplicaSet" && e.Name == oldRs && e.State.StartsWith("0/") && e.ResourceVersion > back);
        Assert.True(scaledDown.ResourceVersion > back);

        await cluster.AssertEventsInOrderAsync(
            ("RolloutUpdated", $"Rollout updated to revision {revision}"),
            ("NewReplicaSetCreated", $"Created ReplicaSet {newRs} (revision {revision})"),
            ("ScalingReplicaSet", $"Scaled up ReplicaSet {newRs} (revision {revision}) from 0 to 1"),
            ("SwitchService", $"Switched selector for service '{Canary}' from '{oldHash}' to '{newHash}'"),
            ("Updated VirtualService", "VirtualService `rollouts-demo` set to desiredWeight '5'"),
            ("RolloutStepCompleted", "Rollout step 1/7 completed (setWeight: 5)"),
            ("RolloutPaused", "Rollout is paused (CanaryPauseStep)"),
            ("RolloutStepCompleted", "Rollout step 2/7 completed (pause: 1s)"),
            ("Updated VirtualService", "VirtualService `rollouts-demo` set to desiredWeight '20'"),
            ("RolloutStepCompleted", "Rollout step 3/7 completed (setWeight: 20)"),
            ("Updated VirtualService", "VirtualService `rollouts-demo` set to desiredWeight '80'"),
            ("RolloutStepCompleted", "Rollout step 5/7 completed (setWeight: 80)"),
            ("Updated VirtualService", "VirtualService `rollouts-demo` set to desiredWeight '100'"),
            ("RolloutStepCompleted", "Rollout step 7/7 completed (setWeight: 100)"),
            ("RolloutCompleted", $"Rollout completed update to revision {revision} ({newHash}): Completed all 7 canary steps"),
            ("SwitchService", $"Switched selector for service '{Stable}' from '{oldHash}' to '{newHash}'"),
            ("Updated VirtualService", "VirtualService `rollouts-demo` set to desiredWeight '0'"),
            ("ScalingReplicaSet", $"Scaled down ReplicaSet {oldRs} (revision {revision - 1}) from 1 to 0"));
        return newHash;
    }

    private static string W(int stable, int canary) => ClusterTimeline.VsWeights(stable, canary);

    private static long FirstAfter(ClusterTimeline timeline, string kind, string name, string state, long after) =>
        timeline.FirstAfter(kind, name, state, after);

    private static bool IsSubsequence(IReadOnlyList<string> expected, IReadOnlyList<string> actual) =>
        ClusterTimeline.IsSubsequence(expected, actual);
}
