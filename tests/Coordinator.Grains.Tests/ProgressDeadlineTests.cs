using Coordinator.Abstractions;
using Coordinator.Grains.Tests.Infrastructure;
using static Coordinator.Grains.Tests.Infrastructure.TestCluster;

namespace Coordinator.Grains.Tests;

/// <summary>
/// A canary whose pods never become Ready (ROLLOUT-BEHAVIOUR §3.13 "Progress deadline"). Pods here turn Ready only
/// when the test says so, so revision 1 is made ready by hand and revision 2 never is.
/// </summary>
[Collection(ManualPodsCollection.Name)]
public sealed class ProgressDeadlineTests(ManualPodsFixture fixture)
{
    private const string Yellow = "argoproj/rollouts-demo:yellow";

    [Fact]
    public async Task An_unready_canary_exceeds_the_progress_deadline_and_the_rollout_is_degraded()
    {
        var cluster = await fixture.NewClusterAsync();
        var h1 = await ApplyHealthyAsync(cluster, Manifests.Rollout(spec: ["progressDeadlineSeconds: 3"]));

        cluster.SetImage(Yellow);

        var degraded = await cluster.WaitForAsync(s => s.Phase == "Degraded", "degraded");
        var h2 = degraded.CurrentPodHash;
        Assert.Equal($"ProgressDeadlineExceeded: ReplicaSet \"{RolloutName}-{h2}\" has timed out progressing.", degraded.Message);
        Assert.False(degraded.Aborted);
        Assert.Contains(degraded.Conditions, c => c is { Type: "Progressing", Status: "False", Reason: "ProgressDeadlineExceeded" });
        await cluster.WaitUntilAsync(() => cluster.TypedRolloutEvents().Contains(
            ("Warning", "ProgressDeadlineExceeded", $"ReplicaSet \"{RolloutName}-{h2}\" has timed out progressing.")), "the ProgressDeadlineExceeded event");
        Assert.Equal((100, 0), cluster.Weights()); // no weight for a canary without a Ready pod
        Assert.Equal(h1, cluster.SelectorHash(CanaryService));
        Assert.Equal(1, cluster.Replicas(h2)); // the controller keeps trying: the canary is not scaled down

        // Progress (the pod finally Ready) resumes the update.
        cluster.MakePodsReady($"rollouts-pod-template-hash={h2}");
        var paused = await cluster.WaitForAsync(s => s.Phase == "Paused" && s.CurrentStepIndex == 1, "progressing again");
        Assert.Equal("CanaryPauseStep", paused.Message);
    }

    [Fact]
    public async Task With_progressDeadlineAbort_an_unready_canary_is_aborted()
    {
        var cluster = await fixture.NewClusterAsync();
        var h1 = await ApplyHealthyAsync(cluster, Manifests.Rollout(
            spec: ["progressDeadlineSeconds: 3", "progressDeadlineAbort: true"], canary: ["abortScaleDownDelaySeconds: 1"]));

        cluster.SetImage(Yellow);

        // The pass that finds the deadline passed records it and the abort; the next one carries the abort out.
        var aborted = await cluster.WaitForAsync(s => s.Aborted && s.Message.StartsWith("RolloutAborted", StringComparison.Ordinal), "aborted");
        var h2 = aborted.CurrentPodHash;
        Assert.Equal(("Degraded", "RolloutAborted: Rollout aborted update to revision 2"), (aborted.Phase, aborted.Message));
        await cluster.WaitUntilAsync(() => cluster.Replicas(h2) == 0, "the aborted canary is scaled down");
        Assert.Equal((100, 0), cluster.Weights());
        Assert.Equal(h1, cluster.SelectorHash(CanaryService));
        var events = cluster.TypedRolloutEvents();
        Assert.Contains(("Warning", "ProgressDeadlineExceeded", $"ReplicaSet \"{RolloutName}-{h2}\" has timed out progressing."), events);
        Assert.Contains(("Warning", "RolloutAborted", "Rollout aborted update to revision 2"), events);
        Assert.Equal("Degraded", (await cluster.Rollout().Get()).Phase);
    }

    private static async Task<string> ApplyHealthyAsync(TestCluster cluster, string manifest)
    {
        await cluster.Rollout().Apply(manifest);
        var healthy = await cluster.WaitForAsync(s => s.StableHash != "", "revision 1 promoted");
        await cluster.WaitUntilAsync(() =>
        {
            cluster.MakePodsReady($"rollouts-pod-template-hash={healthy.StableHash}");
            return cluster.SelectorHash(CanaryService) == healthy.StableHash;
        }, "revision 1 ready and selected");
        await cluster.WaitForPhaseAsync("Healthy");
        return healthy.StableHash;
    }
}
