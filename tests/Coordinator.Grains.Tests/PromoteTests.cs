using Coordinator.Grains.Tests.Infrastructure;
using Coordinator.KubeSim.Faults;
using static Coordinator.Grains.Tests.Infrastructure.TestCluster;

namespace Coordinator.Grains.Tests;

/// <summary><c>promote</c> and <c>promote --full</c> (ROLLOUT-BEHAVIOUR §3.13, §3.10).</summary>
[Collection(CoordinatorCollection.Name)]
public sealed class PromoteTests(CoordinatorFixture fixture)
{
    private const string Yellow = "argoproj/rollouts-demo:yellow";

    private static readonly string IndefinitePause = Manifests.Rollout(
        steps: ["setWeight: 20", "pause: {}", "setWeight: 60", "pause: {}", "setWeight: 100"]);

    [Fact]
    public async Task Promote_ends_an_indefinite_pause_without_a_resumed_event()
    {
        var cluster = await fixture.NewClusterAsync();
        await cluster.ApplyHealthyAsync(IndefinitePause);
        cluster.SetImage(Yellow);
        var paused = await cluster.WaitForAsync(s => s.Revision == 2 && s.Phase == "Paused" && s.CurrentStepIndex == 1, "paused at 20 %");
        Assert.Equal("CanaryPauseStep", paused.Message);
        Assert.Null(paused.NextWakeAt); // nothing will end this pause but a user
        await cluster.WaitUntilAsync(() => cluster.Weights() == (80, 20), "80/20");

        var promoted = await cluster.Rollout().Promote(full: false);

        Assert.True(promoted.CurrentStepIndex >= 2, $"step {promoted.CurrentStepIndex}");
        var second = await cluster.WaitForAsync(s => s.Phase == "Paused" && s.CurrentStepIndex == 3, "paused at 60 %");
        Assert.Equal(60, second.SetWeight);
        await cluster.WaitUntilAsync(() => cluster.Weights() == (40, 60), "40/60");
        await cluster.Rollout().Promote(full: false);
        var healthy = await cluster.WaitForAsync(s => s.Phase == "Healthy" && s.StableHash == paused.CurrentPodHash, "revision 2 healthy");
        Assert.Equal(5, healthy.CurrentStepIndex);
        await cluster.AssertEventsInOrderAsync(
            ("RolloutStepCompleted", "Rollout step 1/5 completed (setWeight: 20)"),
            ("RolloutPaused", "Rollout is paused (CanaryPauseStep)"),
            ("RolloutStepCompleted", "Rollout step 2/5 completed (pause)"),
            ("RolloutStepCompleted", "Rollout step 3/5 completed (setWeight: 60)"),
            ("RolloutStepCompleted", "Rollout step 4/5 completed (pause)"),
            ("RolloutStepCompleted", "Rollout step 5/5 completed (setWeight: 100)"));
        Assert.DoesNotContain(cluster.RolloutEvents(), e => e.Reason == "RolloutResumed"); // only an expiring pause resumes with an event
    }

    [Fact]
    public async Task Promote_on_a_setWeight_step_skips_it_without_a_step_event()
    {
        var cluster = await fixture.NewClusterAsync();
        await cluster.ApplyHealthyAsync(IndefinitePause);
        cluster.SetImage(Yellow);
        await cluster.WaitForAsync(s => s.Revision == 2 && s.Phase == "Paused" && s.CurrentStepIndex == 1, "paused at 20 %");

        // Hold the rollout on step 2 (setWeight: 60): its VirtualService writes fail, so the step cannot complete.
        cluster.Sim.Faults.AddScripted(new ScriptedFault("update", "virtualservices", Namespace, "rollouts-demo", 503, Count: 100_000));
        var onSetWeight = await cluster.Rollout().Promote(full: false);
        Assert.Equal(2, onSetWeight.CurrentStepIndex);
        Assert.Equal((80, 20), cluster.Weights());

        var skipped = await cluster.Rollout().Promote(full: false);
        Assert.Equal(3, skipped.CurrentStepIndex);
        cluster.Sim.Faults.Clear();

        // The next step is the second indefinite pause; the weight of the last setWeight reached (60) still applies.
        var paused = await cluster.WaitForAsync(s => s.Phase == "Paused" && s.CurrentStepIndex == 3 && s.Message == "CanaryPauseStep", "paused on step 4");
        await cluster.WaitUntilAsync(() => cluster.Weights() == (40, 60), "40/60");
        Assert.Equal(3, paused.CurrentStepIndex);
        Assert.DoesNotContain(cluster.RolloutEvents(), e => e.Reason == "RolloutStepCompleted" && e.Message.StartsWith("Rollout step 3/5", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Promote_full_skips_the_remaining_steps_and_switches_stable_before_the_weights_go_back()
    {
        var cluster = await fixture.NewClusterAsync();
        var h1 = await cluster.ApplyHealthyAsync(Manifests.FastSeedRollout(pause: "60s"));
        cluster.SetImage(Yellow);
        var paused = await cluster.WaitForAsync(s => s.Revision == 2 && s.Phase == "Paused" && s.CurrentStepIndex == 1, "paused at 5 %");
        var h2 = paused.CurrentPodHash;
        await cluster.WaitUntilAsync(() => cluster.Weights() == (95, 5), "95/5");
        using var client = cluster.NewClient();
        await using var timeline = await ClusterTimeline.StartAsync(client, Namespace);

        await cluster.Rollout().Promote(full: true);

        var healthy = await cluster.WaitForAsync(s => s.Phase == "Healthy" && s.StableHash == h2, "revision 2 healthy");
        Assert.Equal(7, healthy.CurrentStepIndex);
        await cluster.WaitUntilAsync(() => cluster.Weights() == (100, 0) && cluster.SelectorHash(StableService) == h2, "stable switched and weights back");
        await cluster.WaitUntilAsync(() => cluster.Replicas(h1) == 0, "the old stable scaled down after its delay");

        // No intermediate step weights: from 95/5 straight back to 100/0, and only once stable selects revision 2.
        var weights = timeline.StatesOf("VirtualService", "rollouts-demo");
        Assert.Equal([ClusterTimeline.VsWeights(95, 5), ClusterTimeline.VsWeights(100, 0)], weights);
        Assert.True(timeline.FirstTime("Service", StableService, h2) < timeline.FirstTime("VirtualService", "rollouts-demo", ClusterTimeline.VsWeights(100, 0)),
            $"stable switched before 100/0\n{timeline}");
        var events = cluster.RolloutEvents();
        Assert.Contains(("RolloutCompleted", $"Rollout completed update to revision 2 ({h2}): Full promotion requested"), events);
        Assert.DoesNotContain(events, e => e.Reason == "RolloutStepCompleted" && !e.Message.StartsWith("Rollout step 1/7", StringComparison.Ordinal));
    }
}
