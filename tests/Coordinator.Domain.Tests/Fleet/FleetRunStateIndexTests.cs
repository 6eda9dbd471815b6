using Coordinator.Domain.Fleet;

namespace Coordinator.Domain.Tests.Fleet;

/// <summary>
/// The run's clusters by wave and state, kept beside each cluster list as clusters change: every answer must equal a
/// scan of the list, whatever list the state holds (built by a run, replaced cluster by cluster, read back from JSON).
/// </summary>
public sealed class FleetRunStateIndexTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static FleetPlan Plan() => new(
    [
        new PlannedWave("canary", ["c0"], 1, TimeSpan.Zero, RequireApproval: false, FailureBudget: 0),
        new PlannedWave("europe", [.. Enumerable.Range(1, 40).Select(i => $"c{i}")], 4, TimeSpan.Zero, RequireApproval: false, FailureBudget: 0),
        new PlannedWave("rest", [.. Enumerable.Range(41, 60).Select(i => $"c{i}")], 6, TimeSpan.Zero, RequireApproval: false, FailureBudget: 0),
    ], int.MaxValue);

    [Fact]
    public void Counts_and_members_by_wave_and_state_follow_every_change_as_a_scan_of_the_list_finds_them()
    {
        var state = FleetRunState.Start(1, Plan(), T0);
        var random = new Random(7);
        var states = Enum.GetValues<FleetClusterState>();
        for (var change = 0; change < 500; change++)
        {
            var cluster = state.Clusters[random.Next(state.Clusters.Count)];
            state = state.WithCluster(cluster with { State = states[random.Next(states.Length)] });
            if (change % 50 == 0) AssertMatchesScan(state);
        }
        AssertMatchesScan(state);

        var options = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
        var back = System.Text.Json.JsonSerializer.Deserialize<FleetRunState>(System.Text.Json.JsonSerializer.Serialize(state, options), options)!;
        AssertMatchesScan(back);
        // A list set with `with` (as a run read from its shards) gets its own index, not the one of the list it replaced.
        var restarted = state with { Clusters = [.. FleetRunState.Start(1, Plan(), T0).Clusters] };
        AssertMatchesScan(restarted);
        Assert.Equal(101, restarted.CountIn(FleetClusterState.Pending));
    }

    [Fact]
    public void Clusters_in_a_state_come_wave_by_wave_in_list_order()
    {
        var state = FleetRunState.Start(1, Plan(), T0);
        foreach (var name in new[] { "c50", "c3", "c0", "c41", "c2" })
            state = state.WithCluster(state.Cluster(name) with { State = FleetClusterState.Progressing });

        Assert.Equal(["c0", "c2", "c3", "c41", "c50"], state.ClustersIn(FleetClusterState.Progressing).Select(c => c.Name));
        Assert.Equal(["c41", "c50"], state.ClustersIn(2, FleetClusterState.Progressing).Select(c => c.Name));
        Assert.Empty(state.ClustersIn(7, FleetClusterState.Progressing));
        Assert.Equal(0, state.CountIn(7, FleetClusterState.Pending));
    }

    private static void AssertMatchesScan(FleetRunState state)
    {
        foreach (var s in Enum.GetValues<FleetClusterState>())
        {
            Assert.Equal(state.Clusters.Where(c => c.State == s).Select(c => c.Name), state.ClustersIn(s).Select(c => c.Name));
            Assert.Equal(state.Clusters.Count(c => c.State == s), state.CountIn(s));
            for (var wave = 0; wave < 3; wave++)
            {
                Assert.Equal(state.Clusters.Where(c => c.Wave == wave && c.State == s).Select(c => c.Name), state.ClustersIn(wave, s).Select(c => c.Name));
                Assert.Equal(state.Clusters.Count(c => c.Wave == wave && c.State == s), state.CountIn(wave, s));
            }
        }
        for (var wave = 0; wave < 3; wave++) Assert.Equal(state.Clusters.Count(c => c.Wave == wave), state.CountInWave(wave));
        Assert.Equal(state.Clusters.Count(c => c.State == FleetClusterState.Failed), state.Failures);
        foreach (var cluster in state.Clusters) Assert.Same(cluster, state.Cluster(cluster.Name));
    }
}
