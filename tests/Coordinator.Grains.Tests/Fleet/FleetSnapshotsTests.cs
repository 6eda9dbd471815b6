using Coordinator.Domain.Fleet;
using Coordinator.Grains.Fleet;

namespace Coordinator.Grains.Tests.Fleet;

/// <summary>
/// A fleet snapshot taken after another shows each cluster as it is now, and takes over from the previous one what did
/// not change (the feed keeps a run's recent snapshots: fresh copies of every cluster in each were most of a large
/// fleet's memory).
/// </summary>
public sealed class FleetSnapshotsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 16, 0, 0, TimeSpan.Zero);

    private static readonly FleetPlan Plan = new(
        [new PlannedWave("canary", ["a", "b"], 1, TimeSpan.Zero, false, 0), new PlannedWave("rest", ["c", "d"], 2, TimeSpan.Zero, false, 0)],
        int.MaxValue);

    private static readonly FleetSpec Spec = new() { Rollout = new FleetRolloutRef("rollouts-demo", "test"), TemplatePatchJson = "{}", ClusterTimeout = TimeSpan.FromHours(1) };

    [Fact]
    public void A_cluster_that_moved_is_shown_anew_and_the_others_are_taken_over()
    {
        var run = FleetRunState.Start(1, Plan, Now);
        run = run.WithCluster(run.Cluster("a") with { State = FleetClusterState.Progressing, StartedAt = Now });
        var progress = new Dictionary<string, ClusterProgress>(StringComparer.Ordinal)
        {
            ["a"] = new() { Exists = true, Phase = "Progressing", Step = 0, StepCount = 2, CanaryWeight = 50, Revision = 2 },
        };
        var first = Snapshot(run, progress, previous: null);

        progress["a"] = progress["a"] with { Step = 1, CanaryWeight = 100 };
        var second = Snapshot(run, progress, first);

        var a = second.Waves[0].Clusters[0];
        Assert.Equal(("a", "Progressing", 1, 100), (a.Cluster, a.State, a.Step, a.Weight));
        Assert.NotSame(first.Waves[0].Clusters[0], a);
        Assert.Same(first.Waves[0].Clusters[1], second.Waves[0].Clusters[1]);
        Assert.Same(first.Waves[1].Clusters, second.Waves[1].Clusters); // nothing changed in the wave: its list is kept
        Assert.True(FleetSnapshots.SameView(Snapshot(run, progress, previous: null), second), "shows what a snapshot built afresh shows");
    }

    [Fact]
    public void A_new_run_takes_nothing_over_from_the_last()
    {
        var first = Snapshot(FleetRunState.Start(1, Plan, Now), new Dictionary<string, ClusterProgress>(), previous: null);

        var next = Snapshot(FleetRunState.Start(2, Plan, Now), new Dictionary<string, ClusterProgress>(), first);

        Assert.NotSame(first.Waves[0].Clusters[0], next.Waves[0].Clusters[0]);
        Assert.Equal(first.Waves[0].Clusters[0], next.Waves[0].Clusters[0]);
    }

    private static Abstractions.FleetSnapshot Snapshot(FleetRunState run, Dictionary<string, ClusterProgress> progress, Abstractions.FleetSnapshot? previous) =>
        FleetSnapshots.Create("demo", Spec, Plan, run, progress, new FleetRolloutGrainState(), null, Now, int.MaxValue, previous);
}
