using Coordinator.Grains.Tests.Infrastructure;
using static Coordinator.Grains.Tests.Infrastructure.TestCluster;

namespace Coordinator.Grains.Tests;

/// <summary>Template changes during an update: undo, and a new image mid-rollout (ROLLOUT-BEHAVIOUR §3.12, §3.13).</summary>
[Collection(CoordinatorCollection.Name)]
public sealed class UndoAndNewRevisionTests(CoordinatorFixture fixture)
{
    private const string Blue = "argoproj/rollouts-demo:blue";
    private const string Yellow = "argoproj/rollouts-demo:yellow";
    private const string Red = "argoproj/rollouts-demo:red";

    [Fact]
    public async Task Undo_mid_update_writes_the_stable_template_back_and_skips_the_steps()
    {
        var cluster = await fixture.NewClusterAsync();
        var h1 = await cluster.ApplyHealthyAsync(Manifests.FastSeedRollout(pause: "60s"));
        cluster.SetImage(Yellow);
        var paused = await cluster.WaitForAsync(s => s.Revision == 2 && s.Phase == "Paused" && s.CurrentStepIndex == 1, "paused at 5 %");
        var h2 = paused.CurrentPodHash;

        await cluster.Rollout().Undo(toRevision: null);

        Assert.Equal(Blue, cluster.DeploymentImage()); // the previous revision's template, written back to the Deployment
        var healthy = await cluster.WaitForAsync(s => s.Phase == "Healthy" && s.CurrentPodHash == h1 && s.StableHash == h1, "back on revision 1's template");
        Assert.Equal(7, healthy.CurrentStepIndex);
        Assert.Equal(3, healthy.Revision); // the reused RS takes the next revision
        await cluster.WaitUntilAsync(() => cluster.Weights() == (100, 0) && cluster.SelectorHash(CanaryService) == h1, "traffic back on revision 1");
        await cluster.WaitUntilAsync(() => cluster.Replicas(h2) == 0, "the yellow canary scaled down");
        Assert.Equal(1, cluster.Replicas(h1));
        Assert.Equal("1", cluster.Annotation(cluster.ReplicaSet(h1), "rollout.argoproj.io/revision-history"));
        await cluster.AssertEventsInOrderAsync(
            ("RolloutUpdated", "Rollout updated to revision 3"),
            ("SkipSteps", "Rollback to stable ReplicaSets"));
        Assert.DoesNotContain(cluster.RolloutEvents(), e => e.Reason == "RolloutCompleted" && e.Message.Contains("revision 3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Undo_of_a_completed_update_rolls_the_previous_template_out_as_a_new_revision()
    {
        var cluster = await fixture.NewClusterAsync();
        var h1 = await cluster.ApplyHealthyAsync(Manifests.FastSeedRollout());
        await cluster.UpdateToHealthyAsync(Yellow, revision: 2);

        await cluster.Rollout().Undo(toRevision: 1);

        Assert.Equal(Blue, cluster.DeploymentImage());
        var healthy = await cluster.WaitForAsync(s => s.Phase == "Healthy" && s.Revision == 3 && s.StableHash == h1, "revision 3 (blue) healthy", TimeSpan.FromSeconds(60));
        Assert.Equal(7, healthy.CurrentStepIndex);
        Assert.Equal(2, cluster.RolloutReplicaSets().Count); // revision 1's RS was reused, not copied
        await cluster.AssertEventsInOrderAsync(
            ("RolloutUpdated", "Rollout updated to revision 3"),
            ("RolloutStepCompleted", "Rollout step 1/7 completed (setWeight: 5)"),
            ("RolloutCompleted", $"Rollout completed update to revision 3 ({h1}): Completed all 7 canary steps"));
    }

    [Fact]
    public async Task A_new_image_during_a_pause_restarts_the_steps_and_scales_the_intermediate_revision_down()
    {
        var cluster = await fixture.NewClusterAsync();
        var h1 = await cluster.ApplyHealthyAsync(Manifests.FastSeedRollout(pause: "3s"));
        using var client = cluster.NewClient();
        await using var timeline = await ClusterTimeline.StartAsync(client, Namespace);
        cluster.SetImage(Yellow);
        var yellow = await cluster.WaitForAsync(s => s.Revision == 2 && s.Phase == "Paused" && s.CurrentStepIndex == 1, "yellow paused at 5 %");
        var h2 = yellow.CurrentPodHash;

        cluster.SetImage(Red);

        // Where revision 3's steps started shows in the VirtualService's weights below (95/5 again after red's RS); a
        // poll of the status may see it only after its first step, as it did under load.
        var restarted = await cluster.WaitForAsync(s => s.Revision == 3, "revision 3 observed");
        var h3 = restarted.CurrentPodHash;
        var healthy = await cluster.WaitForAsync(s => s.Phase == "Healthy" && s.StableHash == h3, "red healthy", TimeSpan.FromSeconds(60));
        Assert.Equal(7, healthy.CurrentStepIndex);
        await cluster.WaitUntilAsync(() => cluster.Replicas(h2) == 0 && cluster.Replicas(h1) == 0, "only red runs");
        await cluster.WaitUntilAsync(() => cluster.Weights() == (100, 0) && cluster.SelectorHash(StableService) == h3, "both services on red");
        Assert.Equal(h3, cluster.SelectorHash(CanaryService));
        Assert.Equal(1.0, cluster.Sim.Traffic(Namespace, "rollouts-demo.local").ShareOf(Red), 3);

        // The intermediate (yellow) RS went to 0 without a scale-down delay, and red restarted at the first step weight.
        Assert.Null(cluster.Annotation(cluster.ReplicaSet(h2), "scale-down-deadline"));
        var redRs = $"{RolloutName}-{h3}";
        // The timeline follows a watch: the final 100/0 reaches it a moment after the cluster has it.
        await cluster.WaitUntilAsync(() => timeline.StatesOf("VirtualService", "rollouts-demo").LastOrDefault() == ClusterTimeline.VsWeights(100, 0)
            && timeline.StatesOf("VirtualService", "rollouts-demo").Count > 1, "the timeline shows 100/0 again");
        var redCreated = timeline.FirstTime("ReplicaSet", redRs, "0/0");
        var afterRed = timeline.Entries.Where(e => e.Kind == "VirtualService" && e.ResourceVersion > redCreated).Select(e => e.State).ToList();
        Assert.True(ClusterTimeline.IsSubsequence(
            [ClusterTimeline.VsWeights(100, 0), ClusterTimeline.VsWeights(95, 5), ClusterTimeline.VsWeights(80, 20), ClusterTimeline.VsWeights(20, 80), ClusterTimeline.VsWeights(0, 100), ClusterTimeline.VsWeights(100, 0)],
            afterRed), $"weights after red: {string.Join(" -> ", afterRed)}");
        await cluster.AssertEventsInOrderAsync(
            ("RolloutUpdated", "Rollout updated to revision 3"),
            ("ScalingReplicaSet", $"Scaled down ReplicaSet {RolloutName}-{h2} (revision 2) from 1 to 0"),
            ("RolloutCompleted", $"Rollout completed update to revision 3 ({h3}): Completed all 7 canary steps"));
    }
}
