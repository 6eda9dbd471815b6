using Coordinator.Grains.Fleet;

namespace Coordinator.Grains.Tests.Fleet;

/// <summary>
/// When a dead silo's Rollouts come back: each shortly before its deadline, so that the survivor does not take on all
/// of them in the same seconds (its own Rollouts would wait behind the burst).
/// </summary>
public sealed class RolloutReactivationPacingTests
{
    private static readonly DateTime Now = new(2026, 12, 2, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_Rollout_whose_deadline_passed_during_the_outage_comes_back_at_once()
    {
        Assert.Equal(TimeSpan.Zero, RolloutReactivation.WaitBeforeActivating(Now.AddSeconds(-5), Now));
    }

    [Fact]
    public void A_Rollout_due_within_the_lead_comes_back_at_once()
    {
        Assert.Equal(TimeSpan.Zero, RolloutReactivation.WaitBeforeActivating(Now + RolloutReactivation.Lead - TimeSpan.FromMilliseconds(1), Now));
    }

    [Fact]
    public void A_Rollout_due_later_comes_back_the_lead_before_its_deadline()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), RolloutReactivation.WaitBeforeActivating(Now + RolloutReactivation.Lead + TimeSpan.FromSeconds(10), Now));
    }

    [Fact]
    public void A_Rollout_due_beyond_the_horizon_or_without_a_known_deadline_is_not_waited_for()
    {
        var beyond = Now + RolloutReactivation.Lead + RolloutReactivation.Horizon + TimeSpan.FromSeconds(1);
        Assert.Equal(TimeSpan.Zero, RolloutReactivation.WaitBeforeActivating(beyond, Now));
        Assert.Equal(TimeSpan.Zero, RolloutReactivation.WaitBeforeActivating(DateTime.MaxValue, Now));
    }
}
