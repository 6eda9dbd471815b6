using Coordinator.Grains.Tests.Infrastructure;
using Coordinator.KubeSim.Faults;

namespace Coordinator.Grains.Tests.Fleet;

/// <summary>A cluster whose API server cannot be reached follows the run's <c>unreachable</c> policy after clusterTimeout.</summary>
[Collection(CoordinatorCollection.Name)]
public sealed class FleetUnreachableTests(CoordinatorFixture fixture)
{
    [Fact]
    public async Task Skip_leaves_the_unreachable_cluster_out_and_the_run_completes()
    {
        var bed = await FleetBed.CreateAsync(fixture, 3);
        var down = bed.Clusters[1];
        var image = down.DeploymentImage();
        down.Sim.Faults.Set(new FaultSettings { Unreachable = UnreachableMode.Refuse });

        await bed.ApplyAsync(bed.Manifest("skip", FleetBed.Yellow,
            [FleetBed.Wave("all", bed.Names(0, 1, 2), "maxParallel: 3")], "clusterTimeout: 3s", "unreachable: skip"));

        var done = await bed.WaitForAsync("skip", s => s.Phase == "Completed", "completed");
        Assert.Equal("completed: 2 of 3 clusters Healthy, 1 skipped", done.Message);
        var skipped = done.Waves[0].Clusters.Single(c => c.Cluster == down.Name);
        Assert.Equal("Skipped", skipped.State);
        Assert.StartsWith("unreachable since ", skipped.FailureReason);
        Assert.Equal(0, done.Failures);
        down.Sim.Faults.Set(FaultSettings.None);
        Assert.Equal(image, down.DeploymentImage());
    }

    [Fact]
    public async Task Fail_counts_the_unreachable_cluster_against_the_budget()
    {
        var bed = await FleetBed.CreateAsync(fixture, 2);
        bed.Clusters[0].Sim.Faults.Set(new FaultSettings { Unreachable = UnreachableMode.Refuse });

        await bed.ApplyAsync(bed.Manifest("fail", FleetBed.Yellow,
            [FleetBed.Wave("first", bed.Names(0)), FleetBed.Wave("second", bed.Names(1))], "clusterTimeout: 2s", "unreachable: fail"));

        var halted = await bed.WaitForAsync("fail", s => s.Phase == "Halted", "halted");
        Assert.Equal("Failed", halted.Waves[0].Clusters[0].State);
        Assert.StartsWith("unreachable since ", halted.Waves[0].Clusters[0].FailureReason);
        Assert.StartsWith("halted: failure budget of wave first spent (1 failed, budget 0)", halted.Message);
        Assert.NotEqual(FleetBed.Yellow, bed.Clusters[1].DeploymentImage());
        bed.Clusters[0].Sim.Faults.Set(FaultSettings.None);
    }

    [Fact]
    public async Task Wait_holds_the_wave_until_the_cluster_answers_again()
    {
        var bed = await FleetBed.CreateAsync(fixture, 2);
        var down = bed.Clusters[0];
        down.Sim.Faults.Set(new FaultSettings { Unreachable = UnreachableMode.Refuse });

        await bed.ApplyAsync(bed.Manifest("wait", FleetBed.Yellow,
            [FleetBed.Wave("first", bed.Names(0)), FleetBed.Wave("second", bed.Names(1))], "clusterTimeout: 3s", "unreachable: wait"));

        // Past clusterTimeout the cluster is still waited for, and says so; the next wave does not start.
        var waiting = await bed.WaitForAsync("wait", s => s.Message.Contains($"{down.Name} unreachable since") && s.StartedAt + TimeSpan.FromSeconds(4) < DateTimeOffset.UtcNow,
            "waiting past clusterTimeout");
        Assert.Equal("Progressing", waiting.Waves[0].Clusters[0].State);
        Assert.NotEqual(FleetBed.Yellow, bed.Clusters[1].DeploymentImage());

        down.Sim.Faults.Set(FaultSettings.None);
        await bed.WaitForAsync("wait", s => s.Phase == "Completed", "completed");
        Assert.All(bed.Clusters, c => Assert.Equal(FleetBed.Yellow, c.DeploymentImage()));
    }

    [Fact]
    public async Task A_cluster_lost_in_the_middle_of_its_canary_is_skipped_after_clusterTimeout()
    {
        var bed = await FleetBed.CreateAsync(fixture, 1);
        var lost = bed.Clusters[0];
        lost.Sim.Faults.Set(new FaultSettings { UnhealthyImages = [FleetBed.Red] }); // the canary never completes by itself

        await bed.ApplyAsync(bed.Manifest("lost", FleetBed.Red, [FleetBed.Wave("all", bed.Names(0))], "clusterTimeout: 3s", "unreachable: skip"));
        await lost.WaitUntilAsync(() => lost.DeploymentImage() == FleetBed.Red, "the change written");
        lost.Sim.Faults.Set(new FaultSettings { UnhealthyImages = [FleetBed.Red], Unreachable = UnreachableMode.Refuse });

        var done = await bed.WaitForAsync("lost", s => s.Phase == "Completed", "completed");
        Assert.Equal("Skipped", done.Waves[0].Clusters[0].State);
        Assert.StartsWith("unreachable since ", done.Waves[0].Clusters[0].FailureReason);
        lost.Sim.Faults.Set(FaultSettings.None);
    }
}
