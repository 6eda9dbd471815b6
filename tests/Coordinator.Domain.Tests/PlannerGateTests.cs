using Coordinator.Domain.Actions;
using Coordinator.Domain.Hashing;
using Coordinator.Domain.State;
using Coordinator.Domain.Tests.Support;

namespace Coordinator.Domain.Tests;

/// <summary>Table-driven checks of weights, counts, step index, phase and the safety gates (§3.5–§3.11, §9).</summary>
public sealed class PlannerGateTests
{
    private static readonly string Blue = PodTemplateHash.Compute(Fixtures.Template("blue"), null);
    private static readonly string Yellow = PodTemplateHash.Compute(Fixtures.Template("yellow"), null);

    public static TheoryData<int, string[], int[]> WeightsAndCountsPerReplicaCount => new()
    {
        { 1, ["vs rollouts-demo 95/5", "vs rollouts-demo 80/20", "vs rollouts-demo 20/80", "vs rollouts-demo 0/100", "vs rollouts-demo 100/0"], [1] },
        { 10, ["vs rollouts-demo 95/5", "vs rollouts-demo 80/20", "vs rollouts-demo 20/80", "vs rollouts-demo 0/100", "vs rollouts-demo 100/0"], [1, 2, 8, 10] },
    };

    [Theory]
    [MemberData(nameof(WeightsAndCountsPerReplicaCount))]
    public void Update_WritesTheStepWeightsAndScalesTheCanaryWhileStableKeepsN(int replicas, string[] weightWrites, int[] canaryCounts)
    {
        var driver = Healthy(replicas);
        driver.Cluster.SetImage("yellow");
        var log = new List<string>();
        var stableCounts = new List<int>();

        driver.Settle();
        do
        {
            log.AddRange(driver.TakeLog());
            stableCounts.Add(driver.Cluster.Rs(Blue).Replicas);
            driver.AdvanceToWake();
        }
        while (driver.Status.StableRS != Yellow);

        log.AddRange(driver.TakeLog());
        Assert.Equal(weightWrites, log.Where(l => l.StartsWith("vs ", StringComparison.Ordinal)));
        Assert.Equal(canaryCounts, log.Where(l => l.StartsWith($"scale rollouts-demo-{Yellow}", StringComparison.Ordinal)).Select(l => int.Parse(l.Split("->")[1], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(stableCounts, count => Assert.Equal(replicas, count)); // dynamicStableScale false
    }

    public static TheoryData<int, int, RolloutPhase, string> StepIndexAndPhaseAfterEachWake => new()
    {
        { 0, 1, RolloutPhase.Paused, "CanaryPauseStep" },
        { 1, 3, RolloutPhase.Paused, "CanaryPauseStep" },
        { 2, 5, RolloutPhase.Paused, "CanaryPauseStep" },
        { 3, 7, RolloutPhase.Healthy, "" },
    };

    [Theory]
    [MemberData(nameof(StepIndexAndPhaseAfterEachWake))]
    public void Update_StepIndexAndPhase_AfterEachPause(int wakes, int index, RolloutPhase phase, string message)
    {
        var driver = Healthy(1);
        driver.Cluster.SetImage("yellow");
        driver.Settle();
        for (var i = 0; i < wakes; i++)
        {
            driver.AdvanceToWake();
        }

        Assert.Equal((index, phase, message), (driver.Status.CurrentStepIndex!.Value, driver.Status.Phase, driver.Status.Message));
    }

    [Fact]
    public void Gate_CanaryServiceIsNotSwitchedBeforeTheNewRsHasAnAvailablePod()
    {
        var driver = Healthy(1);
        driver.Cluster.SetImage("yellow");

        driver.Settle(makePodsAvailable: false);

        Assert.Equal(Blue, driver.Cluster.Selected(Fixtures.CanaryService));
        Assert.Equal((100, 0), (driver.Cluster.StableWeight, driver.Cluster.CanaryWeight));
        Assert.Equal(RolloutPhase.Progressing, driver.Status.Phase);
        Assert.Equal("waiting for all steps to complete", driver.Status.Message); // available counts every RS (§2.2 rule 7)

        driver.Cluster.MakeAllAvailable();
        driver.Step();
        Assert.Equal(Yellow, driver.Cluster.Selected(Fixtures.CanaryService));
        Assert.Equal((100, 0), (driver.Cluster.StableWeight, driver.Cluster.CanaryWeight)); // weight only once the Service selects it
    }

    [Fact]
    public void Gate_NoWeightIncreaseBeforeTheCanaryRsIsAtSizeAndAvailable()
    {
        var driver = Healthy(10);
        driver.Cluster.SetImage("yellow");
        driver.Settle();
        Assert.Equal((95, 5), (driver.Cluster.StableWeight, driver.Cluster.CanaryWeight));

        driver.Now = driver.Last!.WakeAt!.Value;
        driver.Settle(makePodsAvailable: false);

        Assert.Equal(2, driver.Cluster.Rs(Yellow).Replicas);
        Assert.Equal(1, driver.Cluster.Rs(Yellow).Available);
        Assert.Equal((95, 5), (driver.Cluster.StableWeight, driver.Cluster.CanaryWeight));
        Assert.Equal(2, driver.Status.CurrentStepIndex);

        driver.Settle();
        Assert.Equal((80, 20), (driver.Cluster.StableWeight, driver.Cluster.CanaryWeight));
    }

    [Fact]
    public void Gate_StableServiceIsSwitchedInAnEarlierDecisionThanTheWeightsGoingBack()
    {
        var driver = Healthy(1);
        driver.Cluster.SetImage("yellow");
        driver.Settle();
        driver.AdvanceToWake();
        driver.AdvanceToWake();
        driver.Now = driver.Last!.WakeAt!.Value;

        var decisions = new List<List<string>>();
        do
        {
            driver.Step();
            decisions.Add(driver.TakeLog());
        }
        while (!driver.Quiet);

        var switchDecision = decisions.FindIndex(d => d.Contains($"selector rollouts-demo '{Blue}'->'{Yellow}'"));
        var weightDecision = decisions.FindIndex(d => d.Contains("vs rollouts-demo 100/0"));
        Assert.True(switchDecision >= 0 && weightDecision > switchDecision);
        Assert.DoesNotContain(decisions[switchDecision], l => l.StartsWith("vs ", StringComparison.Ordinal));
    }

    [Fact]
    public void Gate_OldRsIsNotScaledDownBeforeItsDeadline()
    {
        var driver = Healthy(1);
        driver.Cluster.SetImage("yellow");
        driver.Settle();
        driver.AdvanceToWake();
        driver.AdvanceToWake();
        driver.AdvanceToWake();
        var deadline = driver.Last!.WakeAt!.Value;
        Assert.Equal(deadline, driver.Cluster.Rs(Blue).Deadline);

        driver.Now = deadline.AddSeconds(-1);
        var early = driver.Step();

        Assert.Empty(early.Actions);
        Assert.Equal(deadline, early.WakeAt);
        Assert.Equal(1, driver.Cluster.Rs(Blue).Replicas);

        driver.Now = deadline;
        driver.Step();
        Assert.Equal(0, driver.Cluster.Rs(Blue).Replicas);
    }

    [Fact]
    public void Pause_IsOverWhenStartPlusDurationIsReached_HoweverManyTicksHappened()
    {
        var driver = Healthy(1);
        driver.Cluster.SetImage("yellow");
        driver.Settle();
        var start = driver.Status.PauseConditions.Single().StartTime;

        driver.Now = start.AddSeconds(29);
        Assert.Empty(driver.Step().Actions);
        driver.Now = start.AddSeconds(30);

        Assert.Contains(driver.Step().Actions.OfType<EmitEvent>(), e => e.Message == "Rollout step 2/7 completed (pause: 30s)");
    }

    [Fact]
    public void IndefinitePause_WaitsForPromote()
    {
        var driver = Healthy(1, Fixtures.SeedSpec.WithSteps(Fixtures.Weight(50), Fixtures.Pause(), Fixtures.Weight(100)));
        driver.Cluster.SetImage("yellow");
        driver.Settle();

        Assert.Null(driver.Last!.WakeAt);
        driver.Now = driver.Now.AddHours(1);
        driver.Settle();
        Assert.Equal(1, driver.Status.CurrentStepIndex);
        Assert.Equal(RolloutPhase.Paused, driver.Status.Phase);
    }

    [Fact]
    public void NoSteps_ScalesStraightToNAndCutsOverByTheStableSwitch()
    {
        var driver = Healthy(2, Fixtures.SeedSpec.WithSteps() with { Replicas = 2 });
        driver.Cluster.SetImage("yellow");

        driver.Settle();

        var log = driver.TakeLog();
        Assert.Contains($"scale rollouts-demo-{Yellow} 0->2", log);
        Assert.Contains($"Normal RolloutCompleted: Rollout completed update to revision 2 ({Yellow}): Completed all 0 canary steps", log);
        Assert.DoesNotContain(log, l => l.StartsWith("vs ", StringComparison.Ordinal));
        Assert.Equal(Yellow, driver.Cluster.Selected(Fixtures.StableService));
    }

    [Fact]
    public void Gate_ASuccessorAtAnEndedPauseDoesNotSetTheWeightBackDownAndReportsTheWeightItFound()
    {
        // An activation ended the first pause, wrote the next step's weight and died before saving: its successor starts
        // from the saved status (step 1, a pause that is over by now) and finds the VirtualService at the next weight.
        var driver = Healthy(1);
        driver.Cluster.SetImage("yellow");
        driver.Settle();
        var saved = driver.Status;
        Assert.Equal((1, RolloutPhase.Paused), (saved.CurrentStepIndex!.Value, saved.Phase));
        driver.Now = driver.Last!.WakeAt!.Value;
        driver.Step(); // the pause ends
        driver.Step(); // setWeight: 20 is written, and the activation dies
        Assert.Equal((80, 20), (driver.Cluster.StableWeight, driver.Cluster.CanaryWeight));
        driver.TakeLog();

        driver.Status = saved;
        driver.Settle();

        var log = driver.TakeLog();
        Assert.DoesNotContain(log, line => line.StartsWith("vs ", StringComparison.Ordinal));
        // The weight it set is reported once, by the successor: its own Event never went out.
        Assert.Equal(["Normal Updated VirtualService: VirtualService `rollouts-demo` set to desiredWeight '20'"], log.Where(line => line.Contains("desiredWeight", StringComparison.Ordinal)));
        Assert.Equal((80, 20), (driver.Cluster.StableWeight, driver.Cluster.CanaryWeight));
        Assert.Equal((3, RolloutPhase.Paused), (driver.Status.CurrentStepIndex!.Value, driver.Status.Phase));
    }

    internal static RolloutDriver Healthy(int replicas, RolloutSpec? spec = null)
    {
        var driver = new RolloutDriver((spec ?? Fixtures.SeedSpec) with { Replicas = replicas });
        driver.Settle();
        driver.TakeLog();
        Assert.Equal(RolloutPhase.Healthy, driver.Status.Phase);
        return driver;
    }
}
