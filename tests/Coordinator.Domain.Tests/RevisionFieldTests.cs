using Coordinator.Domain.Hashing;
using Coordinator.Domain.Planning;
using Coordinator.Domain.Tests.Support;

namespace Coordinator.Domain.Tests;

/// <summary><c>rollbackWindow</c> and <c>scaleDownDelayRevisionLimit</c> (ROLLOUT-BEHAVIOUR §1.1, §3.11, §3.12).</summary>
public sealed class RevisionFieldTests
{
    private static readonly string Blue = PodTemplateHash.Compute(Fixtures.Template("blue"), null);
    private static readonly string Yellow = PodTemplateHash.Compute(Fixtures.Template("yellow"), null);
    private static readonly string Red = PodTemplateHash.Compute(Fixtures.Template("red"), null);

    [Theory]
    [InlineData(1, true)]
    [InlineData(null, false)]
    public void RollingBackToTheRevisionBeforeStable_SkipsTheStepsWithinTheWindow(int? revisions, bool skips)
    {
        var spec = Fixtures.SeedSpec with { RollbackWindow = revisions is null ? null : new State.RollbackWindow { Revisions = revisions } };
        var driver = ThroughRevisions(spec, "yellow", "red");

        var undo = RolloutCommands.Undo(driver.Cluster.Observe(), driver.Status, toRevision: null);
        driver.Cluster.Apply(undo.Action!);
        driver.Settle();

        var log = driver.TakeLogExceptOwnerStatus();
        Assert.Equal(skips, log.Contains("Normal SkipSteps: Rollback to active ReplicaSets within RollbackWindow"));
        Assert.Equal(skips, !log.Any(l => l.Contains("RolloutStepCompleted", StringComparison.Ordinal)));
        if (skips)
        {
            Assert.Contains($"Normal RolloutCompleted: Rollout completed update to revision 4 ({Yellow}): Rollback within window", log);
            Assert.Equal(Yellow, driver.Status.StableRS);
            Assert.DoesNotContain(log, l => l.StartsWith("vs rollouts-demo 95/5", StringComparison.Ordinal));
        }
        else
        {
            Assert.Equal(1, driver.Status.CurrentStepIndex); // back to the steps: paused after the first
        }
    }

    [Fact]
    public void TwoRevisionsBack_IsOutsideAWindowOfOne()
    {
        var driver = ThroughRevisions(Fixtures.SeedSpec with { RollbackWindow = new State.RollbackWindow { Revisions = 1 } }, "yellow", "red");

        var undo = RolloutCommands.Undo(driver.Cluster.Observe(), driver.Status, toRevision: 1);
        driver.Cluster.Apply(undo.Action!);
        driver.Settle();

        Assert.DoesNotContain(driver.TakeLog(), l => l.Contains("SkipSteps", StringComparison.Ordinal));
        Assert.Equal(1, driver.Status.CurrentStepIndex);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(null, 1)]
    public void AtTheRevisionLimit_OlderReplicaSetsAreScaledDownWithoutWaitingForTheirDelay(int? limit, int blueReplicas)
    {
        // A long delay: without a limit both old ReplicaSets would still wait when red is done.
        var spec = Fixtures.SeedSpec.WithCanary(c => c with { ScaleDownDelaySeconds = 3600, ScaleDownDelayRevisionLimit = limit });

        var driver = ThroughRevisions(spec, "yellow", "red");

        Assert.Equal(blueReplicas, driver.Cluster.Rs(Blue).Replicas);
        Assert.Equal(1, driver.Cluster.Rs(Yellow).Replicas); // the newest old ReplicaSet keeps its delay
        Assert.NotNull(driver.Cluster.Rs(Yellow).Deadline);
        Assert.Equal(1, driver.Cluster.Rs(Red).Replicas);
    }

    /// <summary>Healthy at blue, then each colour in turn until it is stable (pauses run, the scale-down delay not).</summary>
    private static RolloutDriver ThroughRevisions(State.RolloutSpec spec, params string[] colours)
    {
        var driver = new RolloutDriver(spec);
        driver.Settle();
        foreach (var colour in colours)
        {
            var hash = PodTemplateHash.Compute(Fixtures.Template(colour), null);
            driver.Now = driver.Now.AddSeconds(1); // ReplicaSets of successive revisions are created at distinct instants
            driver.Cluster.SetImage(colour);
            driver.Settle();
            while (driver.Status.StableRS != hash)
            {
                driver.AdvanceToWake();
            }

            driver.Settle();
        }

        driver.TakeLog();
        return driver;
    }
}
