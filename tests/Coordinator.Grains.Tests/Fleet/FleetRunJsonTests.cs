using Coordinator.Domain.Fleet;
using Coordinator.Grains.Fleet;
using Coordinator.Grains.Rollouts;

namespace Coordinator.Grains.Tests.Fleet;

/// <summary>The run state saved cluster by cluster reads back as the state itself, in the same JSON as a whole save.</summary>
public sealed class FleetRunJsonTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_spliced_JSON_is_the_JSON_of_the_whole_state_and_reads_back_equal()
    {
        var plan = new FleetPlan(
            [new PlannedWave("canary", ["a", "b"], 1, TimeSpan.Zero, false, 0), new PlannedWave("rest \"quoted\" \"clusters\":[]", ["c"], 1, TimeSpan.Zero, true, 0)],
            int.MaxValue);
        var run = FleetRunState.Start(3, plan, Now);
        run = FleetOutcomes.Written(run.WithCluster(run.Cluster("a") with { State = FleetClusterState.Progressing, StartedAt = Now }), "a", "new", "old", Now);
        run = run with { StopReason = "budget of wave \"clusters\":[] spent", Halted = true };

        var spliced = FleetRunJson.Serialize(run);

        Assert.Equal(StateJson.Serialize(run), spliced);
        var back = StateJson.Deserialize<FleetRunState>(spliced);
        Assert.True(back.SameAs(run));
        Assert.Equal("new", back.Cluster("a").TargetHash);
    }

    [Fact]
    public void A_cluster_changed_after_a_save_is_saved_with_its_change()
    {
        var plan = new FleetPlan([new PlannedWave("all", ["a", "b"], 2, TimeSpan.Zero, false, 0)], int.MaxValue);
        var run = FleetRunState.Start(1, plan, Now);
        FleetRunJson.Serialize(run);

        run = run.WithCluster(run.Cluster("b") with { State = FleetClusterState.Healthy, FinishedAt = Now });

        Assert.Equal(StateJson.Serialize(run), FleetRunJson.Serialize(run));
        Assert.Equal(FleetClusterState.Healthy, StateJson.Deserialize<FleetRunState>(FleetRunJson.Serialize(run)).Cluster("b").State);
    }
}
