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

    [Fact]
    public async Task A_short_pause_does_not_move_the_reminder_when_its_periodic_tick_comes_within_a_period()
    {
        var cluster = await fixture.NewClusterAsync();
        await cluster.ApplyHealthyAsync(Manifests.Rollout(steps: ["setWeight: 20", "pause: { duration: 2s }", "setWeight: 50", "pause: { duration: 2s }", "setWeight: 100"]));
        var grain = cluster.Rollout().GetGrainId();
        // Every activation registers its reminder once; how the update's deadlines are covered depends on that schedule.
        await cluster.WaitUntilAsync(() => fixture.ReminderWrites.Of(grain).Count > 0, "the activation's reminder");

        var updated = DateTime.UtcNow;
        var lastBefore = fixture.ReminderWrites.Of(grain)[^1];
        // Usually the Healthy rollout's reminder waits for its resync (15 min): the first pause ends long before, so the
        // reminder moves there and then ticks every 5 s. When the start-up needed an early look (a retry, as under load),
        // the reminder already ticks every 5 s: it covers both pauses within a period and nothing is written.
        var firstPauseMoves = lastBefore > updated + TimeSpan.FromMinutes(1);
        cluster.SetImage("argoproj/rollouts-demo:yellow");
        await cluster.WaitForAsync(s => s.Revision == 2 && s.Phase == "Healthy", "revision 2 healthy");
        var healthy = DateTime.UtcNow;

        List<DateTime> ForSteps() => fixture.ReminderWrites.Of(grain).Where(startAt => startAt > updated && startAt < healthy + TimeSpan.FromSeconds(1)).ToList();
        // The registration is not awaited by the steps (a slow reminder service must not hold them up): it may land
        // later. Under load a registration of an early look may also land after the schedule was read above and already
        // cover the first pause, so its absence is no failure: the second pause is what this test is about.
        if (firstPauseMoves) await WaitBrieflyAsync(() => ForSteps().Count > 0, TimeSpan.FromSeconds(10));
        // The second pause ends within a period of the reminder's ticks: the timer holds it, no storage write.
        var forSteps = ForSteps();
        Assert.True(forSteps.Count <= (firstPauseMoves ? 1 : 0),
            string.Create(CultureInfo.InvariantCulture, $"reminder (due {lastBefore:HH:mm:ss.fff} before the update at {updated:HH:mm:ss.fff}) moved for the update's deadlines at ") +
            string.Join(", ", forSteps.Select(t => t.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture))));
    }

    /// <summary>Polls until <paramref name="condition"/> holds or <paramref name="limit"/> passed, without failing.</summary>
    private static async Task WaitBrieflyAsync(Func<bool> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(50);
    }

    [Fact]
    public async Task A_rollout_activated_again_knows_its_reminder_and_does_not_register_it_again()
    {
        var cluster = await fixture.NewClusterAsync();
        await cluster.ApplyHealthyAsync(Manifests.Rollout(steps: ["setWeight: 20", "pause: { duration: 2s }", "setWeight: 100"]));
        var grain = cluster.Rollout().GetGrainId();
        await fixture.Orleans.DeactivateAsync(cluster.Rollout());

        var reactivated = DateTime.UtcNow;
        Assert.Equal("Healthy", (await cluster.Rollout().Get()).Phase); // activates it again: it looks at its cluster
        cluster.SetImage("argoproj/rollouts-demo:yellow");
        await cluster.WaitForAsync(s => s.Revision == 2 && s.Phase == "Healthy", "revision 2 healthy");
        // The pause's registration landed: any registered before it (one grain's registrations go one at a time) did too.
        await cluster.WaitUntilAsync(() => fixture.ReminderWrites.Of(grain).Any(startAt => startAt > reactivated && startAt < DateTime.UtcNow), "the pause's reminder");

        // Healthy, the new activation's first look wants a resync in 15 min: its reminder already ticks before that. (A
        // registration asks for its first tick 250 ms after the deadline; the ones of the first activation were asked
        // before this one existed.)
        var resyncs = fixture.ReminderWrites.Of(grain).Where(startAt => startAt >= reactivated + TimeSpan.FromMinutes(15) + TimeSpan.FromMilliseconds(250)).ToList();
        Assert.Empty(resyncs);
    }
}
