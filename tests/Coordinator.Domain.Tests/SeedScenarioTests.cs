using Coordinator.Domain.Hashing;
using Coordinator.Domain.Planning;
using Coordinator.Domain.State;
using Coordinator.Domain.Tests.Support;

namespace Coordinator.Domain.Tests;

/// <summary>The seed experiment (shared/seed/README.md) end to end: exact, ordered writes and events.</summary>
public sealed class SeedScenarioTests
{
    private static readonly string Blue = PodTemplateHash.Compute(Fixtures.Template("blue"), null);
    private static readonly string Yellow = PodTemplateHash.Compute(Fixtures.Template("yellow"), null);
    private static readonly string Red = PodTemplateHash.Compute(Fixtures.Template("red"), null);

    [Fact]
    public void InitialDeploy_CreatesScalesPromotesAndSwitchesBothServicesOnceAvailable()
    {
        var driver = new RolloutDriver();

        driver.Settle();

        Assert.Equal(
        [
            // The owner ConfigMap comes first (the ReplicaSets need its uid), then shows the status after each
            // decision that writes: the "owner ..." lines are the writes the ConfigMap owner adds to the seed.
            "create-owner rollouts-demo.rollout",
            $"create rollouts-demo-{Blue} rev 1",
            "Normal RolloutUpdated: Rollout updated to revision 1",
            $"Normal NewReplicaSetCreated: Created ReplicaSet rollouts-demo-{Blue} (revision 1)",
            "owner Progressing step  weight 0 rev ",
            $"Normal RolloutNotCompleted: Rollout not completed, started update to revision 1 ({Blue})",
            $"scale rollouts-demo-{Blue} 0->1",
            $"Normal ScalingReplicaSet: Scaled up ReplicaSet rollouts-demo-{Blue} (revision 1) from 0 to 1",
            $"Normal RolloutCompleted: Rollout completed update to revision 1 ({Blue}): Initial deploy",
            "owner Progressing step 7/7 weight 0 rev 1",
            "owner Progressing step 7/7 weight 0 rev 1",
            $"selector rollouts-demo ''->'{Blue}'",
            "annotate-svc rollouts-demo argo-rollouts.argoproj.io/managed-by-rollouts=rollouts-demo",
            $"Normal SwitchService: Switched selector for service 'rollouts-demo' from '' to '{Blue}'",
            $"selector rollouts-demo-canary ''->'{Blue}'",
            "annotate-svc rollouts-demo-canary argo-rollouts.argoproj.io/managed-by-rollouts=rollouts-demo",
            $"Normal SwitchService: Switched selector for service 'rollouts-demo-canary' from '' to '{Blue}'",
            "owner Healthy step 7/7 weight 0 rev 1",
            "Normal TrafficWeightUpdated: Traffic weight updated to 0",
        ], driver.TakeLog());
        Assert.Equal(RolloutPhase.Healthy, driver.Status.Phase);
        Assert.Equal(7, driver.Status.CurrentStepIndex);
        Assert.Equal(Blue, driver.Status.StableRS);
        Assert.Equal((100, 0), (driver.Cluster.StableWeight, driver.Cluster.CanaryWeight));
        Assert.Null(driver.Last!.WakeAt);
    }

    [Fact]
    public void YellowUpdate_WalksTheStepsThenSwitchesStableBeforeWeightsAndScalesTheOldRsDownAfterTheDelay()
    {
        var driver = new RolloutDriver();
        driver.Settle();
        driver.TakeLog();

        driver.Cluster.SetImage("yellow");
        driver.Settle();

        Assert.Equal(
        [
            $"create rollouts-demo-{Yellow} rev 2",
            "Normal RolloutUpdated: Rollout updated to revision 2",
            $"Normal NewReplicaSetCreated: Created ReplicaSet rollouts-demo-{Yellow} (revision 2)",
            "owner Progressing step 7/7 weight 0 rev 1",
            $"Normal RolloutNotCompleted: Rollout not completed, started update to revision 2 ({Yellow})",
            "Normal TrafficWeightUpdated: Traffic weight updated",
            $"scale rollouts-demo-{Yellow} 0->1",
            $"Normal ScalingReplicaSet: Scaled up ReplicaSet rollouts-demo-{Yellow} (revision 2) from 0 to 1",
            "owner Progressing step 0/7 weight 0 rev 2",
            "owner Progressing step 0/7 weight 0 rev 2",
            $"selector rollouts-demo-canary '{Blue}'->'{Yellow}'",
            $"Normal SwitchService: Switched selector for service 'rollouts-demo-canary' from '{Blue}' to '{Yellow}'",
            "vs rollouts-demo 95/5",
            "Normal Updated VirtualService: VirtualService `rollouts-demo` set to desiredWeight '5'",
            "Normal TrafficWeightUpdated: Traffic weight updated from 0 to 5",
            "owner Progressing step 0/7 weight 5 rev 2",
            "Normal RolloutStepCompleted: Rollout step 1/7 completed (setWeight: 5)",
            "Normal RolloutPaused: Rollout is paused (CanaryPauseStep)",
            "owner Paused step 1/7 weight 5 rev 2",
        ], driver.TakeLog());
        Assert.Equal(RolloutPhase.Paused, driver.Status.Phase);
        Assert.Equal("CanaryPauseStep", driver.Status.Message);
        Assert.Equal(driver.Now.AddSeconds(30), driver.Last!.WakeAt);

        driver.AdvanceToWake();
        Assert.Equal(
        [
            "Normal RolloutStepCompleted: Rollout step 2/7 completed (pause: 30s)",
            "Normal RolloutResumed: Rollout is resumed",
            "vs rollouts-demo 80/20",
            "Normal Updated VirtualService: VirtualService `rollouts-demo` set to desiredWeight '20'",
            "Normal TrafficWeightUpdated: Traffic weight updated from 5 to 20",
            "owner Progressing step 2/7 weight 20 rev 2",
            "Normal RolloutStepCompleted: Rollout step 3/7 completed (setWeight: 20)",
            "Normal RolloutPaused: Rollout is paused (CanaryPauseStep)",
            "owner Paused step 3/7 weight 20 rev 2",
        ], driver.TakeLog());

        driver.AdvanceToWake();
        Assert.Contains("vs rollouts-demo 20/80", driver.TakeLog());

        driver.AdvanceToWake();
        Assert.Equal(
        [
            "Normal RolloutStepCompleted: Rollout step 6/7 completed (pause: 30s)",
            "Normal RolloutResumed: Rollout is resumed",
            "vs rollouts-demo 0/100",
            "Normal Updated VirtualService: VirtualService `rollouts-demo` set to desiredWeight '100'",
            "Normal TrafficWeightUpdated: Traffic weight updated from 80 to 100",
            "owner Progressing step 6/7 weight 100 rev 2",
            "Normal RolloutStepCompleted: Rollout step 7/7 completed (setWeight: 100)",
            $"Normal RolloutCompleted: Rollout completed update to revision 2 ({Yellow}): Completed all 7 canary steps",
            $"selector rollouts-demo '{Blue}'->'{Yellow}'",
            $"Normal SwitchService: Switched selector for service 'rollouts-demo' from '{Blue}' to '{Yellow}'",
            "owner Healthy step 7/7 weight 100 rev 2",
            "vs rollouts-demo 100/0",
            "Normal Updated VirtualService: VirtualService `rollouts-demo` set to desiredWeight '0'",
            "Normal TrafficWeightUpdated: Traffic weight updated from 100 to 0",
            "owner Healthy step 7/7 weight 0 rev 2",
            $"annotate rollouts-demo-{Blue} scale-down-deadline=2024-05-01T10:02:00Z",
        ], driver.TakeLog());
        Assert.Equal(RolloutPhase.Healthy, driver.Status.Phase);
        Assert.Equal(1, driver.Cluster.Rs(Blue).Replicas);
        Assert.Equal(driver.Now.AddSeconds(30), driver.Last!.WakeAt);

        driver.AdvanceToWake();
        Assert.Equal(
        [
            $"scale rollouts-demo-{Blue} 1->0",
            $"annotate rollouts-demo-{Blue} scale-down-deadline=<removed>",
            $"Normal ScalingReplicaSet: Scaled down ReplicaSet rollouts-demo-{Blue} (revision 1) from 1 to 0",
        ], driver.TakeLog());
        Assert.Null(driver.Last!.WakeAt);
        Assert.Equal((Yellow, Yellow), (driver.Cluster.Selected(Fixtures.StableService), driver.Cluster.Selected(Fixtures.CanaryService)));
    }

    [Fact]
    public void RedUpdate_RepeatsTheSequenceAgainstTheYellowStable_AndDeletionHandsTrafficBackToTheDeployment()
    {
        var driver = new RolloutDriver();
        driver.Settle();
        driver.Cluster.SetImage("yellow");
        RunToCompletion(driver);
        driver.TakeLog();

        // Seed §5: the Deployment had been scaled to 0 while the Rollout owned the traffic.
        driver.Cluster.DeploymentReplicas = 0;
        driver.Cluster.DeploymentAvailable = 0;
        driver.Cluster.SetImage("red");
        driver.Settle();
        var firstSteps = driver.TakeLog();
        Assert.Equal($"create rollouts-demo-{Red} rev 3", firstSteps[0]);
        Assert.Contains($"selector rollouts-demo-canary '{Yellow}'->'{Red}'", firstSteps);
        Assert.True(
            firstSteps.IndexOf($"selector rollouts-demo-canary '{Yellow}'->'{Red}'") < firstSteps.IndexOf("vs rollouts-demo 95/5"),
            "the canary Service selects the red RS before it gets any weight");

        RunToCompletion(driver);
        var rest = driver.TakeLog();
        Assert.Contains($"Normal RolloutCompleted: Rollout completed update to revision 3 ({Red}): Completed all 7 canary steps", rest);
        Assert.Equal($"Normal ScalingReplicaSet: Scaled down ReplicaSet rollouts-demo-{Yellow} (revision 2) from 1 to 0", rest[^1]);
        Assert.Equal((Red, Red), (driver.Cluster.Selected(Fixtures.StableService), driver.Cluster.Selected(Fixtures.CanaryService)));
        Assert.Equal([0, 0, 1], driver.Cluster.ReplicaSets.OrderBy(r => r.Revision).Select(r => r.Replicas));

        var log = Delete(driver);
        Assert.Equal(
        [
            "scale-deployment rollouts-demo 0->1",
            $"selector rollouts-demo '{Red}'->''",
            $"Normal SwitchService: Switched selector for service 'rollouts-demo' from '{Red}' to ''",
            "annotate-svc rollouts-demo argo-rollouts.argoproj.io/managed-by-rollouts=<removed>",
            $"selector rollouts-demo-canary '{Red}'->''",
            $"Normal SwitchService: Switched selector for service 'rollouts-demo-canary' from '{Red}' to ''",
            "annotate-svc rollouts-demo-canary argo-rollouts.argoproj.io/managed-by-rollouts=<removed>",
            $"delete rollouts-demo-{Blue}",
            $"delete rollouts-demo-{Yellow}",
            $"delete rollouts-demo-{Red}",
            "delete-owner rollouts-demo.rollout",
        ], log);
        Assert.Empty(driver.Cluster.ReplicaSets);
        Assert.Equal((100, 0), (driver.Cluster.StableWeight, driver.Cluster.CanaryWeight));
    }

    /// <summary>Runs the deletion planner like the grain would; the Deployment's pods become ready between calls.</summary>
    internal static List<string> Delete(RolloutDriver driver, TimeSpan? handBackTimeout = null)
    {
        var deadline = driver.Now + (handBackTimeout ?? TimeSpan.FromMinutes(5));
        var log = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var decision = RolloutDeletionPlanner.Decide(driver.Spec, driver.Status, driver.Cluster.Observe(), driver.Now, deadline);
            foreach (var action in decision.Actions)
            {
                driver.Cluster.Apply(action);
                log.Add(RolloutDriver.Describe(action));
            }

            if (decision.Finished)
            {
                return log;
            }

            if (decision.Actions.Count == 0)
            {
                driver.Cluster.MakeAllAvailable();
            }
        }

        throw new InvalidOperationException("deletion did not finish: " + string.Join("\n", log));
    }

    private static void RunToCompletion(RolloutDriver driver)
    {
        driver.Settle();
        while (driver.Last!.WakeAt is not null)
        {
            driver.AdvanceToWake();
        }
    }
}
