using Coordinator.Domain.Actions;
using Coordinator.Domain.Observation;
using Coordinator.Domain.Planning;
using Coordinator.Domain.State;
using Coordinator.Domain.Tests.Support;

namespace Coordinator.Domain.Tests;

/// <summary>The owner ConfigMap of a rollout's ReplicaSets (issue 10): created first, adopts, shows the status.</summary>
public sealed class OwnerTests
{
    [Fact]
    public void EveryReplicaSetIsControlledByTheOwnerConfigMapCreatedBeforeIt()
    {
        var driver = PlannerGateTests.Healthy(1);
        driver.Cluster.SetImage("yellow");
        CommandTests.RunToCompletion(driver);

        Assert.Equal(2, driver.Cluster.ReplicaSets.Count);
        Assert.All(driver.Cluster.ReplicaSets, rs => Assert.Equal(driver.Cluster.OwnerUid, rs.ControllerUid));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["phase"] = "Healthy", ["message"] = "", ["step"] = "7/7", ["canaryWeight"] = "0", ["stableWeight"] = "100",
                ["revision"] = "2", ["currentPodHash"] = driver.Status.CurrentPodHash!, ["stableHash"] = driver.Status.StableRS!,
            },
            driver.Cluster.OwnerData);
    }

    [Fact]
    public void TheOwnerShowsTheStatus_OnlyWhenItHoldsExactlyTheDataThatWouldBeWritten()
    {
        var driver = PlannerGateTests.Healthy(1);
        driver.Cluster.SetImage("yellow");
        driver.Settle(); // paused at the seed's first pause, part way through: a step, weights and two hashes to show
        var data = RolloutOwner.Data(driver.Spec, driver.Status);

        Assert.True(RolloutOwner.Shows(data, driver.Spec, driver.Status));
        Assert.Equal("1/7", data["step"]);
        foreach (var key in data.Keys)
        {
            Assert.False(RolloutOwner.Shows(new Dictionary<string, string>(data) { [key] = data[key] + "0" }, driver.Spec, driver.Status), key);
            Assert.False(RolloutOwner.Shows(data.Where(p => p.Key != key).ToDictionary(), driver.Spec, driver.Status), key);
        }
        Assert.False(RolloutOwner.Shows(new Dictionary<string, string>(data) { ["extra"] = "" }, driver.Spec, driver.Status));
        var fresh = new RolloutStatus();
        Assert.True(RolloutOwner.Shows(RolloutOwner.Data(driver.Spec, fresh), driver.Spec, fresh));
    }

    [Fact]
    public void ReplicaSetsOfAnotherOwner_AreAdoptedWithMetadataOnlyAndNothingElse()
    {
        var driver = PlannerGateTests.Healthy(1);
        var replicas = driver.Cluster.ReplicaSets.Select(r => r.Replicas).ToList();
        foreach (var rs in driver.Cluster.ReplicaSets) rs.ControllerUid = "uid-of-an-argoproj-rollout-that-does-not-exist";
        var weights = (driver.Cluster.StableWeight, driver.Cluster.CanaryWeight);

        driver.Settle();

        Assert.Equal(driver.Cluster.ReplicaSets.Select(r => $"adopt {r.Name}"), driver.TakeLog());
        Assert.All(driver.Cluster.ReplicaSets, rs => Assert.Equal(driver.Cluster.OwnerUid, rs.ControllerUid));
        Assert.Equal(replicas, driver.Cluster.ReplicaSets.Select(r => r.Replicas));
        Assert.Equal(weights, (driver.Cluster.StableWeight, driver.Cluster.CanaryWeight));
    }

    [Fact]
    public void ADeletedOwner_IsCreatedAgainAndAdoptsTheReplicaSets()
    {
        var driver = PlannerGateTests.Healthy(1);
        driver.Cluster.OwnerData = null;

        driver.Settle();

        var log = driver.TakeLog();
        Assert.Equal("create-owner rollouts-demo.rollout", log[0]);
        Assert.Contains(log, l => l.StartsWith("adopt rollouts-demo-", StringComparison.Ordinal));
        Assert.All(driver.Cluster.ReplicaSets, rs => Assert.Equal(driver.Cluster.OwnerUid, rs.ControllerUid));
    }

    [Fact]
    public void SomeoneElsesConfigMapOfThatName_IsNeverTakenOver()
    {
        var cluster = new FakeCluster { OwnerData = [], OwnerUid = "user-uid", OwnerLabels = new() { ["app"] = "mine" } };

        var decision = RolloutPlanner.Decide(Fixtures.SeedSpec, new RolloutStatus(), cluster.Observe(), Fixtures.T0);

        Assert.Empty(decision.Actions);
        Assert.Equal(RolloutPhase.Degraded, decision.NewStatus.Phase);
        Assert.Contains("configmaps \"rollouts-demo.rollout\" already exists and is not managed by the coordinator", decision.NewStatus.Message);
    }

    [Fact]
    public void StatusOnlyChanges_WriteTheOwnerOnlyWhenShownFieldsChange()
    {
        var driver = PlannerGateTests.Healthy(1);
        driver.TakeLog();

        driver.Settle();

        Assert.Empty(driver.TakeLog()); // a fixpoint writes nothing, the owner included
    }

    [Theory]
    [InlineData(10)]
    [InlineData(245)]
    [InlineData(253)]
    public void OwnerNamesAndLabelsFitKubernetesLimits(int length)
    {
        var rollout = new string('a', length - 1) + "b";

        var name = RolloutOwner.ConfigMapName(rollout);
        var label = RolloutOwner.LabelValue(rollout);

        Assert.True(name.Length <= 253, name);
        Assert.True(label.Length <= 63, label);
        Assert.EndsWith(".rollout", name);
        Assert.Equal(rollout, RolloutOwner.Annotations(rollout)[RolloutOwner.RolloutAnnotation]);
        if (length <= 245) Assert.Equal($"{rollout}.rollout", name);
        // Two long names that differ only at the end keep distinct owners.
        var other = new string('a', length - 1) + "c";
        if (length > 62) Assert.NotEqual(label, RolloutOwner.LabelValue(other));
        Assert.NotEqual(name, RolloutOwner.ConfigMapName(other));
    }

    [Fact]
    public void TruncatedNamesNeverEndALabelWithADotOrDash()
    {
        var rollout = new string('a', 53) + ".-" + new string('b', 30);

        var label = RolloutOwner.LabelValue(rollout);

        Assert.Matches("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", label);
        Assert.DoesNotContain(".-", label);
    }
}
