using System.Globalization;
using Coordinator.Grains.Tests.Infrastructure;
using static Coordinator.Grains.Tests.Infrastructure.TestCluster;

namespace Coordinator.Grains.Tests;

/// <summary>
/// Deadlines live in persisted state; the timer is only for precision and the reminder backs it (ARCHITECTURE, §3.10):
/// a rollout whose grain is deactivated in the middle of a pause still ends the pause on time.
/// </summary>
[Collection(CoordinatorCollection.Name)]
public sealed class ReminderTests(CoordinatorFixture fixture)
{
    [Fact]
    public async Task A_grain_deactivated_during_a_pause_is_woken_by_its_reminder_at_the_pause_end()
    {
        var cluster = await fixture.NewClusterAsync();
        await cluster.ApplyHealthyAsync(Manifests.Rollout(steps: ["setWeight: 20", "pause: { duration: 4s }", "setWeight: 100"]));
        cluster.SetImage("argoproj/rollouts-demo:yellow");
        var paused = await cluster.WaitForAsync(s => s.Revision == 2 && s.Phase == "Paused" && s.CurrentStepIndex == 1, "paused at 20 %");
        var pauseEnd = paused.NextWakeAt ?? throw new Xunit.Sdk.XunitException("a timed pause must schedule its end");
        await cluster.WaitUntilAsync(() => cluster.Weights() == (80, 20), "80/20");
        using var probe = new CommitProbe(cluster.Sim, ("weights", () => cluster.Weights().ToString()));

        // From here on the test does not call the grain (any call would activate it again): only its reminder can wake it.
        await fixture.Orleans.DeactivateAsync(cluster.Rollout());
        Assert.True(DateTimeOffset.UtcNow < pauseEnd, "deactivated before the pause ended");

        await cluster.WaitUntilAsync(() => cluster.Weights() != (80, 20), "the weights change after the pause", TimeSpan.FromSeconds(30));
        var changedAt = probe.First("weights", w => w != (80, 20).ToString(), "changed").At;
        var lag = changedAt - pauseEnd;
        // The reminder fires ReminderGrace (250 ms) after the deadline; reactivation and one reconcile follow.
        Assert.True(lag >= TimeSpan.Zero && lag < TimeSpan.FromSeconds(3),
            string.Create(CultureInfo.InvariantCulture, $"the pause ended {lag.TotalMilliseconds:0} ms after its deadline\n{probe}"));

        var healthy = await cluster.WaitForAsync(s => s.Phase == "Healthy" && s.StableHash == paused.CurrentPodHash, "revision 2 healthy");
        Assert.Equal(3, healthy.CurrentStepIndex);
        // Healthy comes with the promotion; the stable switch and the 100/0 write follow it (as in Argo).
        await cluster.WaitUntilAsync(() => cluster.Weights() == (100, 0), "traffic back to 100/0");
        Assert.Equal(paused.CurrentPodHash, cluster.SelectorHash(StableService));
    }
}
