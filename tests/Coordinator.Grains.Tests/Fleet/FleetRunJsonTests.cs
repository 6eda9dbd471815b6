using Coordinator.Domain.Fleet;
using Coordinator.Grains.Fleet;
using Coordinator.Grains.Rollouts;

namespace Coordinator.Grains.Tests.Fleet;

/// <summary>The run state saved as a head and spliced shards of clusters reads back as the state itself.</summary>
public sealed class FleetRunJsonTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Head_and_spliced_clusters_read_back_as_the_whole_state()
    {
        var plan = new FleetPlan(
            [new PlannedWave("canary", ["a", "b"], 1, TimeSpan.Zero, false, 0), new PlannedWave("rest \"quoted\" \"clusters\":[]", ["c"], 1, TimeSpan.Zero, true, 0)],
            int.MaxValue);
        var run = FleetRunState.Start(3, plan, Now);
        run = FleetOutcomes.Written(run.WithCluster(run.Cluster("a") with { State = FleetClusterState.Progressing, StartedAt = Now }), "a", "new", "old", Now);
        run = run with { StopReason = "budget of wave \"clusters\":[] spent", Halted = true };

        var clusters = FleetRunJson.Clusters(run.Clusters, 0, run.Clusters.Count);

        Assert.Equal(StateJson.Serialize(run.Clusters), clusters);
        var back = StateJson.Deserialize<FleetRunState>(FleetRunJson.Head(run)) with { Clusters = FleetRunJson.ReadClusters(clusters) };
        Assert.True(back.SameAs(run));
        Assert.Equal("new", back.Cluster("a").TargetHash);
        Assert.Empty(StateJson.Deserialize<FleetRunState>(FleetRunJson.Head(run)).Clusters);
    }

    [Fact]
    public void A_cluster_changed_after_a_save_is_saved_with_its_change()
    {
        var plan = new FleetPlan([new PlannedWave("all", ["a", "b", "c"], 2, TimeSpan.Zero, false, 0)], int.MaxValue);
        var run = FleetRunState.Start(1, plan, Now);
        FleetRunJson.Clusters(run.Clusters, 1, 2);

        run = run.WithCluster(run.Cluster("b") with { State = FleetClusterState.Healthy, FinishedAt = Now });

        var shard = FleetRunJson.Clusters(run.Clusters, 1, 2);
        Assert.Equal(StateJson.Serialize(run.Clusters.Skip(1).ToList()), shard);
        Assert.Equal(FleetClusterState.Healthy, FleetRunJson.ReadClusters(shard)[0].State);
        Assert.Equal("[]", FleetRunJson.Clusters(run.Clusters, 3, 0));
    }
}
