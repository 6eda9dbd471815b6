using Coordinator.Domain.Actions;
using Coordinator.Domain.Planning;
using Coordinator.Domain.Tests.Support;

namespace Coordinator.Domain.Tests;

/// <summary>What a caller of <see cref="RolloutPlanner.Decide"/> may rely on between decisions (Domain README, loop contract).</summary>
public sealed class LoopContractTests
{
    [Fact]
    public void PauseExpiry_ReturnsTheStepEventsAndTheirStatusBeforeTheNextWeightWrite()
    {
        var driver = PlannerGateTests.Healthy(1);
        driver.Cluster.SetImage("yellow");
        driver.Settle();
        driver.TakeLog();
        Assert.Equal(1, driver.Status.CurrentStepIndex);
        driver.Now = driver.Last!.WakeAt!.Value;

        // The first decision completes the pause and emits its events, but writes nothing: if the weight write that
        // follows failed, a retry must neither show step 1 again nor emit "step 2/7 completed" a second time.
        var first = driver.Step();
        Assert.Equal(["Normal RolloutStepCompleted: Rollout step 2/7 completed (pause: 30s)", "Normal RolloutResumed: Rollout is resumed"],
            driver.TakeLog());
        Assert.All(first.Actions, a => Assert.IsType<EmitEvent>(a));
        Assert.Equal(2, first.NewStatus.CurrentStepIndex);

        // The same observation (events change nothing observed) then gives the write first; the owner's status display
        // comes last, adding nothing before the weight write.
        driver.Step();
        var log = driver.TakeLog();
        Assert.Equal("vs rollouts-demo 80/20", log[0]);
        Assert.Equal("owner Progressing step 2/7 weight 20 rev 2", log[^1]);
    }

    [Fact]
    public void StatusOnlyPass_WritesNothing_TheNextDecisionOnTheSameObservationShowsItOnTheOwner()
    {
        var driver = PlannerGateTests.Healthy(1);
        driver.Cluster.SetImage("yellow");
        driver.Step(); // creates the new ReplicaSet
        driver.Step(); // starts the update: status and its event
        driver.Step(); // scales the canary up
        driver.TakeLog();
        var before = driver.Status;

        // Status steps come back alone, without the owner's display: a status step costs no write of its own.
        var statusStep = driver.Step();
        Assert.Empty(statusStep.Actions);
        Assert.False(StatusComparer.AreEqual(before, statusStep.NewStatus));

        driver.Step();
        Assert.Equal(["owner Progressing step 0/7 weight 0 rev 2"], driver.TakeLog());
        Assert.False(driver.Quiet);
        driver.Step();
        Assert.True(driver.Quiet);
    }

    [Fact]
    public void DeletionHandBackDeadline_IsTheProgressDeadlineAfterTheDeletionStarted()
    {
        var started = Fixtures.T0;

        Assert.Equal(started.AddSeconds(600), RolloutDefaults.GetDeletionHandBackDeadline(Fixtures.SeedSpec, started));
        Assert.Equal(started.AddSeconds(42), RolloutDefaults.GetDeletionHandBackDeadline(Fixtures.SeedSpec with { ProgressDeadlineSeconds = 42 }, started));
    }
}
