using Coordinator.Grains.Tests.Infrastructure;
using static Coordinator.Grains.Tests.Infrastructure.TestCluster;

namespace Coordinator.Grains.Tests;

/// <summary><c>spec.paused</c> (a user pause) and resume (ROLLOUT-BEHAVIOUR §1.1, §2.2 rule 3, §3.13).</summary>
[Collection(CoordinatorCollection.Name)]
public sealed class PauseResumeTests(CoordinatorFixture fixture)
{
    [Fact]
    public async Task A_paused_rollout_creates_the_new_revision_but_scales_nothing_until_resumed()
    {
        var cluster = await fixture.NewClusterAsync();
        var h1 = await cluster.ApplyHealthyAsync(Manifests.FastSeedRollout());

        var paused = await cluster.Rollout().Pause();
        Assert.Equal(("Paused", "manually paused"), (paused.Phase, paused.Message));
        Assert.True(paused.Paused);

        await cluster.Rollout().SetImage("rollouts-demo", "argoproj/rollouts-demo:yellow");
        var pending = await cluster.WaitForAsync(s => s.Revision == 2, "revision 2 observed");
        var h2 = pending.CurrentPodHash;

        // Pausing again forces one more full reconcile: a fixpoint in which still nothing scaled and no step advanced.
        var still = await cluster.Rollout().Pause();
        Assert.Equal(("Paused", "manually paused", 0), (still.Phase, still.Message, still.CurrentStepIndex));
        Assert.Equal(0, cluster.Replicas(h2));
        Assert.Equal(1, cluster.Replicas(h1));
        Assert.Equal((100, 0), cluster.Weights());
        Assert.Equal(h1, cluster.SelectorHash(CanaryService));
        Assert.Contains(still.Conditions, c => c.Type == "Paused" && c.Status == "True");
        Assert.DoesNotContain(cluster.RolloutEvents(), e => e.Reason == "RolloutPaused"); // that event tracks pause steps only

        var resumed = await cluster.Rollout().Resume();
        Assert.False(resumed.Paused);
        var healthy = await cluster.WaitForAsync(s => s.Phase == "Healthy" && s.StableHash == h2, "revision 2 healthy after resume");
        Assert.Equal(7, healthy.CurrentStepIndex);
        await cluster.AssertEventsInOrderAsync(
            ("ScalingReplicaSet", $"Scaled up ReplicaSet {RolloutName}-{h2} (revision 2) from 0 to 1"),
            ("RolloutStepCompleted", "Rollout step 1/7 completed (setWeight: 5)"),
            ("RolloutCompleted", $"Rollout completed update to revision 2 ({h2}): Completed all 7 canary steps"));
    }

    [Fact]
    public async Task Pausing_during_a_pause_step_holds_the_step_past_its_end_and_resume_completes_it()
    {
        var cluster = await fixture.NewClusterAsync();
        await cluster.ApplyHealthyAsync(Manifests.FastSeedRollout(pause: "2s"));
        cluster.SetImage("argoproj/rollouts-demo:yellow");
        var onPause = await cluster.WaitForAsync(s => s.Revision == 2 && s.Phase == "Paused" && s.CurrentStepIndex == 1, "on the first pause step");
        var pauseEnd = onPause.NextWakeAt ?? throw new Xunit.Sdk.XunitException("a timed pause must schedule its end");

        await cluster.Rollout().Pause();

        // Asserting that something does not happen needs the time to pass: wait (bounded) until well after the pause's end.
        await cluster.WaitUntilAsync(() => DateTimeOffset.UtcNow > pauseEnd + TimeSpan.FromSeconds(1), "the pause step's end has passed");
        var held = await cluster.Rollout().Pause(); // runs a reconcile now that the pause is over
        Assert.Equal((1, "manually paused"), (held.CurrentStepIndex, held.Message));
        Assert.Equal((95, 5), cluster.Weights());

        await cluster.Rollout().Resume();
        var next = await cluster.WaitForAsync(s => s.CurrentStepIndex >= 2, "the pause step completes on resume", TimeSpan.FromSeconds(10));
        Assert.Equal(2, next.Revision);
        await cluster.WaitForAsync(s => s.Phase == "Healthy" && s.StableHash == onPause.CurrentPodHash, "revision 2 healthy", TimeSpan.FromSeconds(60));
    }
}
