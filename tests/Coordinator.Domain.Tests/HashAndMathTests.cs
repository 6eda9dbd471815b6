using Coordinator.Domain.Hashing;
using Coordinator.Domain.Planning;
using Coordinator.Domain.State;
using Coordinator.Domain.Tests.Support;

namespace Coordinator.Domain.Tests;

public sealed class HashAndMathTests
{
    [Fact]
    public void PodTemplateHash_IsStableSafeEncodedAndIgnoresKeyOrderAndTheHashLabel()
    {
        var template = Fixtures.Template("blue");
        var hash = PodTemplateHash.Compute(template, null);

        Assert.InRange(hash.Length, 1, 10);
        Assert.All(hash, c => Assert.Contains(c, "456789bcdf"));
        Assert.Equal(hash, PodTemplateHash.Compute(ReplicaSetTemplates.WithHashLabel(template, hash), null));
        var reordered = System.Text.Json.Nodes.JsonNode.Parse("""{"spec":""" + template["spec"]!.ToJsonString() + ""","metadata":""" + template["metadata"]!.ToJsonString() + "}")!.AsObject();
        Assert.Equal(hash, PodTemplateHash.Compute(reordered, null));
        Assert.NotEqual(hash, PodTemplateHash.Compute(Fixtures.Template("yellow"), null));
        Assert.NotEqual(hash, PodTemplateHash.Compute(template, 1));
    }

    public static TheoryData<int, int, int> WeightsPerStep => new()
    {
        // index, expected set weight for the seed steps (5, pause, 20, pause, 80, pause, 100)
        { 0, 5, 1 }, { 1, 5, 1 }, { 2, 20, 2 }, { 3, 20, 2 }, { 4, 80, 8 }, { 5, 80, 8 }, { 6, 100, 10 }, { 7, 100, 10 },
    };

    [Theory]
    [MemberData(nameof(WeightsPerStep))]
    public void SetWeightAndCanaryCount_PerStep_N10(int index, int weight, int canaryPods)
    {
        var spec = Fixtures.SeedSpec with { Replicas = 10 };
        var status = new RolloutStatus { CurrentStepIndex = index };

        Assert.Equal(weight, ReplicaMath.CurrentSetWeight(spec, status));
        Assert.Equal((canaryPods, 10), ReplicaMath.DesiredCounts(spec, status, hasStableRS: true, newIsStable: false));
    }

    public static TheoryData<int, int> CountsForOneReplica => new() { { 0, 0 }, { 1, 1 }, { 5, 1 }, { 50, 1 }, { 100, 1 } };

    [Theory]
    [MemberData(nameof(CountsForOneReplica))]
    public void CanaryCount_N1_IsOneFromTheFirstNonZeroWeight(int weight, int canaryPods)
    {
        var spec = Fixtures.SeedSpec.WithSteps(Fixtures.Weight(weight));

        Assert.Equal((canaryPods, 1), ReplicaMath.DesiredCounts(spec, new RolloutStatus { CurrentStepIndex = 0 }, true, false));
    }

    public static TheoryData<SetCanaryScaleStep, int> SetCanaryScaleCases => new()
    {
        { new SetCanaryScaleStep { Replicas = 3 }, 3 },
        { new SetCanaryScaleStep { Weight = 50 }, 5 },
        { new SetCanaryScaleStep { MatchTrafficWeight = true }, 2 },
    };

    [Theory]
    [MemberData(nameof(SetCanaryScaleCases))]
    public void SetCanaryScale_OverridesTheCountWithoutChangingTheWeight(SetCanaryScaleStep scale, int canaryPods)
    {
        var spec = (Fixtures.SeedSpec with { Replicas = 10 }).WithSteps(Fixtures.Weight(20), new CanaryStep { SetCanaryScale = scale }, Fixtures.Pause());
        var status = new RolloutStatus { CurrentStepIndex = 2 };

        Assert.Equal((canaryPods, 10), ReplicaMath.DesiredCounts(spec, status, true, false));
        Assert.Equal(20, ReplicaMath.CurrentSetWeight(spec, status));
    }

    [Theory]
    [InlineData(2, 5, 2)]
    [InlineData(2, 0, 0)]
    [InlineData(20, 80, 10)]
    public void MinPodsPerReplicaSet_RaisesNonZeroCountsCappedAtN(int minPods, int weight, int canaryPods)
    {
        var spec = (Fixtures.SeedSpec with { Replicas = 10 }).WithSteps(Fixtures.Weight(weight)).WithCanary(c => c with { MinPodsPerReplicaSet = minPods });

        Assert.Equal(canaryPods, ReplicaMath.DesiredCounts(spec, new RolloutStatus { CurrentStepIndex = 0 }, true, false).Canary);
    }

    [Fact]
    public void DesiredCounts_NoStableYetOrPromoteFull_ScaleTheNewRsToN()
    {
        var spec = Fixtures.SeedSpec with { Replicas = 4 };

        Assert.Equal((4, 4), ReplicaMath.DesiredCounts(spec, new RolloutStatus { CurrentStepIndex = 0 }, hasStableRS: false, newIsStable: false));
        Assert.Equal((4, 4), ReplicaMath.DesiredCounts(spec, new RolloutStatus { CurrentStepIndex = 0, PromoteFull = true }, true, false));
        Assert.Equal(0, ReplicaMath.DesiredCounts(spec, new RolloutStatus { CurrentStepIndex = 2, Abort = true }, true, false).Canary);
    }

    [Theory]
    [InlineData(null, null, 1, 1, 0)]
    [InlineData(null, null, 10, 3, 2)]
    [InlineData("0", "0", 10, 0, 1)]
    [InlineData("50%", "1", 10, 5, 1)]
    public void ResolveFenceposts_RoundsSurgeUpAndUnavailableDown(string? surge, string? unavailable, int replicas, int expectedSurge, int expectedUnavailable)
    {
        var spec = Fixtures.SeedSpec.WithCanary(c => c with
        {
            MaxSurge = surge is null ? null : int.TryParse(surge, out var s) ? IntOrString.FromInt(s) : IntOrString.FromString(surge),
            MaxUnavailable = unavailable is null ? null : int.TryParse(unavailable, out var u) ? IntOrString.FromInt(u) : IntOrString.FromString(unavailable),
        });

        Assert.Equal((expectedSurge, expectedUnavailable), RolloutDefaults.ResolveFenceposts(spec, replicas));
    }

    public static TheoryData<string, RolloutStatus, RolloutSpec?, RolloutPhase, string> PhaseCases => new()
    {
        { "invalid spec", Healthy with { Conditions = [Condition("InvalidSpec", "InvalidSpec", "The Rollout \"r\" is invalid: x")] }, null, RolloutPhase.Degraded, "InvalidSpec: The Rollout \"r\" is invalid: x" },
        { "aborted", Healthy with { Conditions = [Condition("Progressing", "RolloutAborted", "Rollout aborted update to revision 2")] }, null, RolloutPhase.Degraded, "RolloutAborted: Rollout aborted update to revision 2" },
        { "timed out", Healthy with { Conditions = [Condition("Progressing", "ProgressDeadlineExceeded", "ReplicaSet \"x\" has timed out progressing.")] }, null, RolloutPhase.Degraded, "ProgressDeadlineExceeded: ReplicaSet \"x\" has timed out progressing." },
        { "user paused", Healthy, Fixtures.SeedSpec with { Paused = true }, RolloutPhase.Paused, "manually paused" },
        { "pause step", Healthy with { PauseConditions = [new PauseCondition { Reason = "CanaryPauseStep" }] }, null, RolloutPhase.Paused, "CanaryPauseStep" },
        { "updating", Healthy with { UpdatedReplicas = 0 }, null, RolloutPhase.Progressing, "more replicas need to be updated" },
        { "becoming available", Healthy with { AvailableReplicas = 0 }, null, RolloutPhase.Progressing, "updated replicas are still becoming available" },
        { "steps left", Healthy with { CurrentPodHash = "b" }, null, RolloutPhase.Progressing, "waiting for all steps to complete" },
        { "healthy", Healthy, null, RolloutPhase.Healthy, "" },
    };

    [Theory]
    [MemberData(nameof(PhaseCases))]
    public void Phase_FirstMatchingRuleWins(string _, RolloutStatus status, RolloutSpec? spec, RolloutPhase phase, string message) =>
        Assert.Equal((phase, message), PhaseCalculator.Calculate(spec ?? Fixtures.SeedSpec, status));

    private static RolloutStatus Healthy => new() { UpdatedReplicas = 1, AvailableReplicas = 1, Replicas = 1, StableRS = "a", CurrentPodHash = "a" };

    private static RolloutCondition Condition(string type, string reason, string message) =>
        new() { Type = type, Status = "False", Reason = reason, Message = message };
}
