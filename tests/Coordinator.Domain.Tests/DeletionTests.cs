using Coordinator.Domain.Planning;
using Coordinator.Domain.Tests.Support;

namespace Coordinator.Domain.Tests;

/// <summary>Safe deletion (seed README §6, Argo #3855): the Deployment must be able to serve before traffic goes back.</summary>
public sealed class DeletionTests
{
    [Fact]
    public void DeploymentAtZero_IsScaledUpAndNothingElseHappensUntilItIsAvailable()
    {
        var driver = PlannerGateTests.Healthy(1);
        driver.Cluster.DeploymentReplicas = 0;
        driver.Cluster.DeploymentAvailable = 0;
        var deadline = driver.Now.AddMinutes(5);

        var first = RolloutDeletionPlanner.Decide(driver.Spec, driver.Status, driver.Cluster.Observe(), driver.Now, deadline);

        Assert.Equal(["scale-deployment rollouts-demo 0->1"], first.Actions.Select(RolloutDriver.Describe));
        Assert.False(first.Finished);
        Assert.Equal(deadline, first.WakeAt);
        foreach (var action in first.Actions)
        {
            driver.Cluster.Apply(action);
        }

        var waiting = RolloutDeletionPlanner.Decide(driver.Spec, driver.Status, driver.Cluster.Observe(), driver.Now, deadline);
        Assert.Empty(waiting.Actions);
        Assert.NotNull(driver.Cluster.Selected(Fixtures.StableService));
    }

    [Fact]
    public void DeploymentNeverReady_HandsBackAtTheDeadlineAndReportsIt()
    {
        var driver = PlannerGateTests.Healthy(1);
        driver.Cluster.DeploymentAvailable = 0;
        var deadline = driver.Now.AddMinutes(5);

        var decision = RolloutDeletionPlanner.Decide(driver.Spec, driver.Status, driver.Cluster.Observe(), deadline, deadline);

        Assert.NotNull(decision.Warning);
        Assert.Contains(decision.Actions, a => a is Coordinator.Domain.Actions.EmitEvent { Reason: "DeploymentNotReady" });
        Assert.Contains(decision.Actions, a => a is Coordinator.Domain.Actions.SwitchServiceSelector { ToHash: null });
    }

    [Fact]
    public void DeletedMidUpdate_RestoresStableWeightsBeforeReleasingTheServices()
    {
        var driver = PlannerGateTests.Healthy(1);
        driver.Cluster.SetImage("yellow");
        driver.Settle();
        Assert.Equal(5, driver.Cluster.CanaryWeight);

        var log = SeedScenarioTests.Delete(driver);

        Assert.Equal("vs rollouts-demo 100/0", log[0]);
        Assert.True(log.FindIndex(l => l.StartsWith("delete", StringComparison.Ordinal)) > log.FindLastIndex(l => l.StartsWith("selector", StringComparison.Ordinal)));
        Assert.Empty(driver.Cluster.ReplicaSets);
        Assert.All(driver.Cluster.Services.Values, s => Assert.Equal(["app"], s.Selector.Keys));
        Assert.All(driver.Cluster.Services.Values, s => Assert.Empty(s.Annotations));
    }
}
