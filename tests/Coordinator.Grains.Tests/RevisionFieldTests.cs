using Coordinator.Grains.Tests.Infrastructure;
using static Coordinator.Grains.Tests.Infrastructure.TestCluster;

namespace Coordinator.Grains.Tests;

/// <summary>
/// Issue 10's fields that are acted on, through the grain on KubeSim: <c>rollbackWindow</c> and
/// <c>scaleDownDelayRevisionLimit</c> (the others are refused by name: <see cref="ValidationTests"/>).
/// </summary>
[Collection(CoordinatorCollection.Name)]
public sealed class RevisionFieldTests(CoordinatorFixture fixture)
{
    private const string Yellow = "argoproj/rollouts-demo:yellow";
    private const string Red = "argoproj/rollouts-demo:red";

    [Fact]
    public async Task RollbackWindow_rolls_back_to_the_previous_revision_without_the_steps()
    {
        var cluster = await fixture.NewClusterAsync();
        await cluster.ApplyHealthyAsync(Manifests.Rollout(spec: ["rollbackWindow: { revisions: 1 }"]));
        var h2 = await cluster.UpdateToHealthyAsync(Yellow, revision: 2);
        await cluster.UpdateToHealthyAsync(Red, revision: 3);
        await cluster.WaitUntilAsync(() => cluster.Weights() == (100, 0), "traffic on revision 3");
        using var client = cluster.NewClient();
        await using var timeline = await ClusterTimeline.StartAsync(client, Namespace);

        await cluster.Rollout().Undo(toRevision: null);

        var healthy = await cluster.WaitForAsync(s => s.Phase == "Healthy" && s.StableHash == h2 && s.Revision == 4, "back on revision 2's template");
        Assert.Equal(7, healthy.CurrentStepIndex);
        await cluster.WaitUntilAsync(() => cluster.SelectorHash(StableService) == h2 && cluster.Weights() == (100, 0), "traffic on the rolled-back revision");
        await cluster.AssertEventsInOrderAsync(
            ("RolloutUpdated", "Rollout updated to revision 4"),
            ("SkipSteps", "Rollback to active ReplicaSets within RollbackWindow"),
            ("RolloutCompleted", $"Rollout completed update to revision 4 ({h2}): Rollback within window"));
        // No step ran: the VirtualService never went through the first step's 95/5 after the undo.
        Assert.DoesNotContain(ClusterTimeline.VsWeights(95, 5), timeline.StatesOf("VirtualService", "rollouts-demo"));
    }

    [Fact]
    public async Task ScaleDownDelayRevisionLimit_scales_older_revisions_down_without_waiting()
    {
        var cluster = await fixture.NewClusterAsync();
        // A delay longer than the test: only the limit can bring revision 1 down while revision 2 waits.
        var h1 = await cluster.ApplyHealthyAsync(Manifests.Rollout(canary: ["scaleDownDelayRevisionLimit: 1"], scaleDownDelaySeconds: 300));
        var h2 = await cluster.UpdateToHealthyAsync(Yellow, revision: 2);
        await cluster.WaitUntilAsync(() => cluster.Annotation(cluster.ReplicaSet(h1), "scale-down-deadline") is not null, "revision 1 waits for its delay");
        Assert.Equal(1, cluster.Replicas(h1));

        var h3 = await cluster.UpdateToHealthyAsync(Red, revision: 3);

        await cluster.WaitUntilAsync(() => cluster.Replicas(h1) == 0 && cluster.Annotation(cluster.ReplicaSet(h2), "scale-down-deadline") is not null,
            "revision 1 at 0, revision 2 waiting for its delay");
        Assert.Equal((1, 1), (cluster.Replicas(h2), cluster.Replicas(h3)));
        await cluster.AssertEventsInOrderAsync(("ScalingReplicaSet", $"Scaled down ReplicaSet rollouts-demo-{h1} (revision 1) from 1 to 0"));
    }
}
