using System.Text.Json;
using Coordinator.Domain.Planning;
using Coordinator.Domain.State;
using Coordinator.Domain.Tests.Support;

namespace Coordinator.Domain.Tests;

/// <summary>Persisted state must survive System.Text.Json (and later Orleans) round trips unchanged.</summary>
public sealed class StateSerializationTests
{
    [Fact]
    public void StatusInTheMiddleOfAPause_RoundTripsAndTheNextDecisionIsTheSame()
    {
        var driver = PlannerGateTests.Healthy(1);
        driver.Cluster.SetImage("yellow");
        driver.Settle();

        var json = JsonSerializer.Serialize(driver.Status);
        var restored = JsonSerializer.Deserialize<RolloutStatus>(json)!;

        Assert.True(StatusComparer.AreEqual(driver.Status, restored));
        Assert.Contains("\"phase\":\"Paused\"", JsonSerializer.Serialize(restored, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        var later = driver.Now.AddSeconds(30);
        var fromOriginal = RolloutPlanner.Decide(driver.Spec, driver.Status, driver.Cluster.Observe(), later);
        var fromRestored = RolloutPlanner.Decide(driver.Spec, restored, driver.Cluster.Observe(), later);
        Assert.Equal(fromOriginal.Actions.Select(RolloutDriver.Describe), fromRestored.Actions.Select(RolloutDriver.Describe));
        Assert.True(StatusComparer.AreEqual(fromOriginal.NewStatus, fromRestored.NewStatus));
    }

    [Fact]
    public void Decide_IsPure_SameInputsSameOutputs()
    {
        var cluster = new FakeCluster();
        var first = RolloutPlanner.Decide(Fixtures.SeedSpec, new RolloutStatus(), cluster.Observe(), Fixtures.T0);
        var second = RolloutPlanner.Decide(Fixtures.SeedSpec, new RolloutStatus(), cluster.Observe(), Fixtures.T0);

        Assert.Equal(first.Actions.Select(RolloutDriver.Describe), second.Actions.Select(RolloutDriver.Describe));
        Assert.True(StatusComparer.AreEqual(first.NewStatus, second.NewStatus));
    }
}
