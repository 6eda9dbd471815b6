using Coordinator.Domain.Hashing;
using Coordinator.Domain.Planning;
using Coordinator.Domain.State;
using Coordinator.Domain.Tests.Support;

namespace Coordinator.Domain.Tests;

/// <summary>User commands (§3.13) and the planner's reaction to them.</summary>
public sealed class CommandTests
{
    private static readonly string Blue = PodTemplateHash.Compute(Fixtures.Template("blue"), null);
    private static readonly string Yellow = PodTemplateHash.Compute(Fixtures.Template("yellow"), null);
    private static readonly string Red = PodTemplateHash.Compute(Fixtures.Template("red"), null);

    private static RolloutDriver PausedAtFirstPause()
    {
        var driver = PlannerGateTests.Healthy(1);
        driver.Cluster.SetImage("yellow");
        driver.Settle();
        driver.TakeLog();
        Assert.Equal((1, RolloutPhase.Paused), (driver.Status.CurrentStepIndex!.Value, driver.Status.Phase));
        return driver;
    }

    [Fact]
    public void Promote_OnAPause_CompletesTheStepWithoutAResumedEvent()
    {
        var driver = PausedAtFirstPause();

        (driver.Spec, driver.Status) = RolloutCommands.Promote(driver.Spec, driver.Status);
        driver.Settle();

        var log = driver.TakeLog();
        Assert.Equal("Normal RolloutStepCompleted: Rollout step 2/7 completed (pause: 30s)", log[0]);
        Assert.DoesNotContain("Normal RolloutResumed: Rollout is resumed", log);
        Assert.Contains("vs rollouts-demo 80/20", log);
        Assert.Equal(3, driver.Status.CurrentStepIndex);
    }

    [Fact]
    public void Promote_WithoutPauseCondition_SkipsTheCurrentStepSilently()
    {
        var status = new RolloutStatus { CurrentStepIndex = 2 };

        var result = RolloutCommands.Promote(Fixtures.SeedSpec, status);

        Assert.Equal(3, result.Status.CurrentStepIndex);
    }

    [Fact]
    public void Promote_UserPausedRollout_OnlyUnpauses()
    {
        var result = RolloutCommands.Promote(Fixtures.SeedSpec with { Paused = true }, new RolloutStatus { CurrentStepIndex = 2 });

        Assert.False(result.Spec.Paused);
        Assert.Equal(2, result.Status.CurrentStepIndex);
    }

    [Fact]
    public void PromoteFull_SkipsRemainingStepsAndPromotes()
    {
        var driver = PausedAtFirstPause();

        (driver.Spec, driver.Status) = RolloutCommands.PromoteFull(driver.Spec, driver.Status);
        driver.Settle();

        var log = driver.TakeLog();
        Assert.Contains($"Normal RolloutCompleted: Rollout completed update to revision 2 ({Yellow}): Full promotion requested", log);
        Assert.DoesNotContain(log, l => l.Contains("RolloutStepCompleted", StringComparison.Ordinal));
        Assert.True(log.IndexOf($"selector rollouts-demo '{Blue}'->'{Yellow}'") < log.IndexOf("vs rollouts-demo 100/0"));
        Assert.Equal((Yellow, 7, false), (driver.Status.StableRS, driver.Status.CurrentStepIndex!.Value, driver.Status.PromoteFull));
    }

    [Fact]
    public void Abort_SendsTrafficBackAndScalesTheCanaryDownAfterTheAbortDelay()
    {
        var driver = PausedAtFirstPause();

        driver.Status = RolloutCommands.Abort(driver.Status, driver.Now);
        driver.Settle();

        Assert.Equal(
        [
            $"selector rollouts-demo-canary '{Yellow}'->'{Blue}'",
            $"Normal SwitchService: Switched selector for service 'rollouts-demo-canary' from '{Yellow}' to '{Blue}'",
            "vs rollouts-demo 100/0",
            "Normal Updated VirtualService: VirtualService `rollouts-demo` set to desiredWeight '0'",
            "Normal TrafficWeightUpdated: Traffic weight updated from 5 to 0",
            "Warning RolloutAborted: Rollout aborted update to revision 2",
            $"annotate rollouts-demo-{Yellow} scale-down-deadline=2024-05-01T10:00:30Z",
        ], driver.TakeLogExceptOwnerStatus());
        Assert.Equal((RolloutPhase.Degraded, "RolloutAborted: Rollout aborted update to revision 2"), (driver.Status.Phase, driver.Status.Message));
        Assert.Equal(0, driver.Status.CurrentStepIndex);
        Assert.Empty(driver.Status.PauseConditions);

        driver.AdvanceToWake();
        Assert.Equal(
        [
            $"scale rollouts-demo-{Yellow} 1->0",
            $"annotate rollouts-demo-{Yellow} scale-down-deadline=<removed>",
            $"Normal ScalingReplicaSet: Scaled down ReplicaSet rollouts-demo-{Yellow} (revision 2) from 1 to 0",
        ], driver.TakeLogExceptOwnerStatus());
        Assert.Equal(RolloutPhase.Degraded, driver.Status.Phase);
    }

    [Fact]
    public void Retry_AfterAbort_RestartsTheStepsWithTheSameCanaryRs()
    {
        var driver = PausedAtFirstPause();
        driver.Status = RolloutCommands.Abort(driver.Status, driver.Now);
        driver.Settle();
        driver.AdvanceToWake();
        driver.TakeLog();

        driver.Status = RolloutCommands.Retry(driver.Spec, driver.Status, driver.Now);
        driver.Settle();

        var log = driver.TakeLogExceptOwnerStatus();
        Assert.Equal($"scale rollouts-demo-{Yellow} 0->1", log[0]);
        Assert.Contains($"selector rollouts-demo-canary '{Blue}'->'{Yellow}'", log);
        Assert.Contains("vs rollouts-demo 95/5", log);
        Assert.DoesNotContain(log, l => l.StartsWith("create", StringComparison.Ordinal));
        Assert.Equal((1, RolloutPhase.Paused, false), (driver.Status.CurrentStepIndex!.Value, driver.Status.Phase, driver.Status.Abort));
    }

    [Fact]
    public void PauseAndResume_StopAndRestartScalingAndStepAdvance()
    {
        var driver = PlannerGateTests.Healthy(1);
        driver.Spec = RolloutCommands.Pause(driver.Spec);
        driver.Cluster.SetImage("yellow");

        driver.Settle();
        Assert.DoesNotContain(driver.TakeLog(), l => l.StartsWith("scale", StringComparison.Ordinal));
        Assert.Equal((RolloutPhase.Paused, "manually paused"), (driver.Status.Phase, driver.Status.Message));
        Assert.Contains(driver.Status.Conditions, c => c is { Type: "Progressing", Status: "Unknown", Reason: "RolloutPaused" });

        driver.Spec = RolloutCommands.Resume(driver.Spec);
        driver.Settle();
        Assert.Contains($"scale rollouts-demo-{Yellow} 0->1", driver.TakeLog());
        Assert.Equal((1, "CanaryPauseStep"), (driver.Status.CurrentStepIndex!.Value, driver.Status.Message));
    }

    [Fact]
    public void Undo_WritesThePreviousRevisionsTemplateAndReusesItsRsWithANewRevision()
    {
        var driver = PlannerGateTests.Healthy(1);
        driver.Cluster.SetImage("yellow");
        RunToCompletion(driver);
        driver.TakeLog();

        var undo = RolloutCommands.Undo(driver.Cluster.Observe(), driver.Status, toRevision: null);
        Assert.Equal(("rollout 'rollouts-demo' undo", 1), (undo.Message, undo.Revision));
        driver.Cluster.Apply(undo.Action!);
        driver.Settle();

        var log = driver.TakeLogExceptOwnerStatus();
        Assert.Equal(
        [
            $"annotate rollouts-demo-{Blue} rollout.argoproj.io/revision=3",
            $"annotate rollouts-demo-{Blue} rollout.argoproj.io/revision-history=1",
            "Normal RolloutUpdated: Rollout updated to revision 3",
            $"Normal RolloutNotCompleted: Rollout not completed, started update to revision 3 ({Blue})",
        ], log.Take(4));
        Assert.Contains($"scale rollouts-demo-{Blue} 0->1", log);
        Assert.Equal((Blue, 1, 3), (driver.Status.CurrentPodHash, driver.Status.CurrentStepIndex!.Value, driver.Status.CurrentRevision!.Value));
    }

    [Fact]
    public void Undo_ToTheCurrentRevision_IsSkipped()
    {
        var driver = PlannerGateTests.Healthy(1);
        driver.Cluster.SetImage("yellow");
        RunToCompletion(driver);

        var undo = RolloutCommands.Undo(driver.Cluster.Observe(), driver.Status, toRevision: 2);

        Assert.Null(undo.Action);
        Assert.Equal("skipped rollback (current template already matches revision 2)", undo.Message);
    }

    [Fact]
    public void NewRevisionMidRollout_RestartsStepsAndScalesTheIntermediateRsDownWithoutDelay()
    {
        var driver = PausedAtFirstPause();

        driver.Cluster.SetImage("red");
        driver.Settle(makePodsAvailable: false);
        var beforeReady = driver.TakeLog();
        Assert.Equal($"create rollouts-demo-{Red} rev 3", beforeReady[0]);
        Assert.Contains("vs rollouts-demo 100/0", beforeReady); // the red RS has no pod yet: canary weight forced to 0
        Assert.DoesNotContain(beforeReady, l => l.Contains("RolloutNotCompleted", StringComparison.Ordinal)); // Completed was already False
        Assert.Equal(Yellow, driver.Cluster.Selected(Fixtures.CanaryService));
        Assert.Equal(1, driver.Cluster.Rs(Yellow).Replicas);

        driver.Settle();
        var after = driver.TakeLog();
        Assert.True(after.IndexOf($"selector rollouts-demo-canary '{Yellow}'->'{Red}'") < after.IndexOf($"scale rollouts-demo-{Yellow} 1->0"));
        Assert.DoesNotContain(after, l => l.StartsWith($"annotate rollouts-demo-{Yellow}", StringComparison.Ordinal));
        Assert.Equal((Blue, 1, RolloutPhase.Paused), (driver.Status.StableRS, driver.Status.CurrentStepIndex!.Value, driver.Status.Phase));
        Assert.Equal((95, 5), (driver.Cluster.StableWeight, driver.Cluster.CanaryWeight));
    }

    [Theory]
    [InlineData(false, "ProgressDeadlineExceeded")]
    [InlineData(true, "RolloutAborted")]
    public void ProgressDeadline_DegradesAndOptionallyAborts(bool abort, string reason)
    {
        var driver = PlannerGateTests.Healthy(1, Fixtures.SeedSpec with { ProgressDeadlineSeconds = 60, ProgressDeadlineAbort = abort });
        driver.Cluster.SetImage("yellow");
        driver.Settle(makePodsAvailable: false);
        Assert.Equal(driver.Now.AddSeconds(60), driver.Last!.WakeAt);

        driver.Now = driver.Last.WakeAt!.Value;
        driver.Settle(makePodsAvailable: false);

        var log = driver.TakeLog();
        Assert.Contains($"Warning ProgressDeadlineExceeded: ReplicaSet \"rollouts-demo-{Yellow}\" has timed out progressing.", log);
        Assert.Equal(RolloutPhase.Degraded, driver.Status.Phase);
        Assert.StartsWith(reason + ":", driver.Status.Message);
        Assert.Equal(abort, driver.Status.Abort);
        if (abort)
        {
            Assert.Contains("Warning RolloutAborted: Rollout aborted update to revision 2", log);
        }
    }

    [Fact]
    public void RevisionHistoryLimit_DeletesTheOldestScaledDownRs()
    {
        var driver = PlannerGateTests.Healthy(1, Fixtures.SeedSpec with { RevisionHistoryLimit = 1 });
        driver.Cluster.SetImage("yellow");
        RunToCompletion(driver);
        driver.Cluster.SetImage("red");
        RunToCompletion(driver);

        Assert.Contains($"delete rollouts-demo-{Blue}", driver.TakeLog());
        Assert.Equal([(Yellow, 0), (Red, 1)], driver.Cluster.ReplicaSets.OrderBy(r => r.Revision).Select(r => (r.Hash, r.Replicas)));
    }

    [Fact]
    public void CollisionCount_ChangesTheDesiredHash()
    {
        var status = new RolloutStatus { CollisionCount = 1 };

        var decision = RolloutPlanner.Decide(Fixtures.SeedSpec, status, new FakeCluster().WithOwner().Observe(), Fixtures.T0);
        var create = decision.Actions.OfType<Coordinator.Domain.Actions.CreateReplicaSet>().First();
        Assert.Equal(PodTemplateHash.Compute(Fixtures.Template("blue"), 1), create.PodTemplateHash);
        Assert.Equal(create.PodTemplateHash, create.SelectorMatchLabels["rollouts-pod-template-hash"]);
        Assert.Equal("rollouts-demo", create.SelectorMatchLabels["app"]);
        Assert.Equal(create.PodTemplateHash, create.Template["metadata"]!["labels"]!["rollouts-pod-template-hash"]!.GetValue<string>());
        Assert.Equal("1", create.Annotations["rollout.argoproj.io/revision"]);
    }

    internal static void RunToCompletion(RolloutDriver driver)
    {
        driver.Settle();
        while (driver.Last!.WakeAt is not null)
        {
            driver.AdvanceToWake();
        }
    }
}
