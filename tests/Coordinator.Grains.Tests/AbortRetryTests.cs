using Coordinator.Grains.Tests.Infrastructure;
using static Coordinator.Grains.Tests.Infrastructure.TestCluster;

namespace Coordinator.Grains.Tests;

/// <summary>Abort and retry in the middle of an update (ROLLOUT-BEHAVIOUR §3.13).</summary>
[Collection(CoordinatorCollection.Name)]
public sealed class AbortRetryTests(CoordinatorFixture fixture)
{
    private const string Yellow = "argoproj/rollouts-demo:yellow";

    // A 5 s pause leaves ample time to abort while paused at 20 %; the rest is short so that a retry completes quickly.
    private static readonly string Manifest = Manifests.Rollout(
        steps: ["setWeight: 20", "pause: { duration: 5s }", "setWeight: 60", "pause: { duration: 1s }", "setWeight: 100"],
        canary: ["abortScaleDownDelaySeconds: 2"]);

    [Fact]
    public async Task Abort_sends_traffic_back_to_stable_at_once_and_scales_the_canary_down_after_the_abort_delay()
    {
        var cluster = await fixture.NewClusterAsync();
        var h1 = await cluster.ApplyHealthyAsync(Manifest);
        var h2 = await PausedAt20PercentAsync(cluster);
        using var client = cluster.NewClient();
        await using var timeline = await ClusterTimeline.StartAsync(client, Namespace);

        var aborted = await cluster.Rollout().Abort();
        var abortedAt = DateTimeOffset.UtcNow;

        // What the user sees as soon as the command returns: Degraded, traffic and the canary Service back on stable.
        Assert.Equal(("Degraded", "RolloutAborted: Rollout aborted update to revision 2"), (aborted.Phase, aborted.Message));
        Assert.True(aborted.Aborted);
        Assert.Equal((0, 0), (aborted.CurrentStepIndex, aborted.SetWeight));
        Assert.Equal((100, 0), cluster.Weights());
        Assert.Equal(h1, cluster.SelectorHash(CanaryService));
        Assert.Equal(h1, cluster.SelectorHash(StableService));
        Assert.Contains(("Warning", "RolloutAborted", "Rollout aborted update to revision 2"), cluster.TypedRolloutEvents());

        // The canary keeps its pod through abortScaleDownDelaySeconds (2 s, deadline in whole seconds), then goes to 0.
        Assert.Equal(1, cluster.Replicas(h2));
        Assert.NotNull(cluster.Annotation(cluster.ReplicaSet(h2), "scale-down-deadline"));
        await cluster.WaitUntilAsync(() => cluster.Replicas(h2) == 0, "the aborted canary is scaled down");
        Assert.True(DateTimeOffset.UtcNow - abortedAt >= TimeSpan.FromSeconds(1), "scaled down only after the abort delay");
        var rs2 = $"{RolloutName}-{h2}";
        // The timeline follows a watch: the scale-down reaches it a moment after the cluster has it.
        await cluster.WaitUntilAsync(() => timeline.Entries.Any(e => e.Name == rs2 && e.State.StartsWith("0/")), "the timeline shows the canary at 0");
        var weightsBack = timeline.FirstTime("VirtualService", "rollouts-demo", ClusterTimeline.VsWeights(100, 0));
        Assert.True(timeline.FirstTime("Service", CanaryService, h1) < timeline.Entries.First(e => e.Name == rs2 && e.State.StartsWith("0/")).ResourceVersion,
            $"the canary RS loses its pod only after no Service selects it\n{timeline}");
        Assert.True(weightsBack < timeline.Entries.First(e => e.Name == rs2 && e.State.StartsWith("0/")).ResourceVersion);
        Assert.Equal(1, cluster.Replicas(h1));

        // It stays Degraded (the Deployment still asks for yellow) until retry or undo.
        var after = await cluster.WaitForAsync(s => s.ReplicaSets.Any(r => r.Hash == h2 && r.Desired == 0), "the snapshot shows the canary at 0");
        Assert.Equal("Degraded", after.Phase);
        await cluster.AssertEventsInOrderAsync(
            ("RolloutAborted", "Rollout aborted update to revision 2"),
            ("ScalingReplicaSet", $"Scaled down ReplicaSet {rs2} (revision 2) from 1 to 0"));
    }

    [Fact]
    public async Task Retry_after_abort_restarts_the_steps_with_the_same_canary_and_completes()
    {
        var cluster = await fixture.NewClusterAsync();
        await cluster.ApplyHealthyAsync(Manifest);
        var h2 = await PausedAt20PercentAsync(cluster);
        await cluster.Rollout().Abort();
        // Scaled down and its pod gone: a canary pod still running when the retry scales the RS back up is simply kept,
        // and the retry may then finish step 0 before it returns.
        await cluster.WaitUntilAsync(() => cluster.Replicas(h2) == 0 && cluster.ReplicaSet(h2)["status"]?["replicas"]?.GetValue<int>() is null or 0,
            "the aborted canary is scaled down and its pod gone");
        var stepEventsBefore = cluster.RolloutEvents().Count(e => e.Reason == "RolloutStepCompleted");

        var retried = await cluster.Rollout().Retry();

        Assert.False(retried.Aborted);
        // Back to step 0, or just past it: the retry's own reconcile goes on while it can, and completes setWeight 20 at
        // once when the canary pod is Ready before its next look (seen under CI's parallel load). That every step runs
        // again is shown by the step events below.
        Assert.InRange(retried.CurrentStepIndex ?? -1, 0, 1);
        Assert.Equal(2, retried.Revision);
        var healthy = await cluster.WaitForAsync(s => s.Phase == "Healthy" && s.StableHash == h2, "revision 2 healthy after retry");
        Assert.Equal(5, healthy.CurrentStepIndex);
        Assert.Equal(2, cluster.RolloutReplicaSets().Count); // the same canary RS, no new one
        Assert.Equal(1, cluster.Replicas(h2));
        await cluster.WaitUntilAsync(() => cluster.SelectorHash(StableService) == h2 && cluster.Weights() == (100, 0), "traffic on revision 2");
        var events = cluster.RolloutEvents();
        Assert.Single(events, e => e.Reason == "NewReplicaSetCreated" && e.Message.Contains(h2, StringComparison.Ordinal));
        Assert.Equal(stepEventsBefore + 5, events.Count(e => e.Reason == "RolloutStepCompleted"));
        await cluster.AssertEventsInOrderAsync(
            ("RolloutAborted", "Rollout aborted update to revision 2"),
            ("ScalingReplicaSet", $"Scaled up ReplicaSet {RolloutName}-{h2} (revision 2) from 0 to 1"),
            ("RolloutStepCompleted", "Rollout step 1/5 completed (setWeight: 20)"),
            ("RolloutCompleted", $"Rollout completed update to revision 2 ({h2}): Completed all 5 canary steps"));
    }

    private static async Task<string> PausedAt20PercentAsync(TestCluster cluster)
    {
        cluster.SetImage(Yellow);
        var paused = await cluster.WaitForAsync(s => s.Revision == 2 && s.Phase == "Paused" && s.CurrentStepIndex == 1, "paused at 20 %");
        await cluster.WaitUntilAsync(() => cluster.Weights() == (80, 20), "the VirtualService at 80/20");
        Assert.Equal(paused.CurrentPodHash, cluster.SelectorHash(CanaryService));
        return paused.CurrentPodHash;
    }
}
