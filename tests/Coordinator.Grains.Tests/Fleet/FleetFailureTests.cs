using Coordinator.Grains.Tests.Infrastructure;
using Coordinator.KubeSim.Faults;

namespace Coordinator.Grains.Tests.Fleet;

/// <summary>A bad release (an image whose pods never become Ready) spends a failure budget: the run halts, or reverts.</summary>
[Collection(CoordinatorCollection.Name)]
public sealed class FleetFailureTests(CoordinatorFixture fixture)
{
    [Fact]
    public async Task A_bad_release_in_wave_two_halts_the_fleet_when_the_wave_budget_is_spent()
    {
        var bed = await FleetBed.CreateAsync(fixture, 5);
        var old = bed.Clusters.ToDictionary(c => c.Name, c => (Image: c.DeploymentImage(), Stable: c.SelectorHash(TestCluster.StableService)));
        foreach (var cluster in bed.Clusters.Skip(1)) cluster.Sim.Faults.Set(new FaultSettings { UnhealthyImages = [FleetBed.Red] });

        await bed.ApplyAsync(bed.Manifest("bad", FleetBed.Red,
        [
            FleetBed.Wave("canary", bed.Names(0)),
            FleetBed.Wave("second", bed.Names(1, 2, 3), "failureBudget: 1"),
            FleetBed.Wave("rest", bed.Names(4)),
        ], "clusterTimeout: 3s"));

        var halted = await bed.WaitForAsync("bad", s => s.Phase == "Halted", "halted");
        Assert.StartsWith("halted: failure budget of wave second spent (2 failed, budget 1)", halted.Message);
        var second = halted.Waves[1];
        Assert.Equal("Failed", second.State);
        Assert.Equal(["Failed", "Failed", "Pending"], second.Clusters.Select(c => c.State));
        Assert.All(second.Clusters.Take(2), c => Assert.Equal("not Healthy on the new revision within clusterTimeout 3s", c.FailureReason));
        Assert.Equal("Pending", halted.Waves[2].State);

        // The failed clusters are aborted: traffic all on their old stable revision; the rest never got the change. The
        // halt is reported before its aborts land (and a canary that never became available never had traffic), so the
        // abort is waited for, then the traffic.
        foreach (var cluster in bed.Clusters.Skip(1).Take(2))
        {
            await cluster.WaitForAsync(s => s.Aborted, "aborted by the halt");
            await cluster.WaitUntilAsync(() => cluster.Weights() == (100, 0), "the aborted canary has no traffic");
            Assert.Equal(old[cluster.Name].Stable, cluster.SelectorHash(TestCluster.StableService));
        }
        Assert.All(bed.Clusters.Skip(3), c => Assert.Equal(old[c.Name].Image, c.DeploymentImage()));
        Assert.Equal(FleetBed.Red, bed.Clusters[0].DeploymentImage()); // wave 1 was fine with it, and stays updated
    }

    [Fact]
    public async Task With_onFailure_revert_every_updated_cluster_ends_on_the_old_revision_at_100_0()
    {
        var bed = await FleetBed.CreateAsync(fixture, 4);
        var old = bed.Clusters.ToDictionary(c => c.Name, c => (Image: c.DeploymentImage(), Stable: c.SelectorHash(TestCluster.StableService)));
        foreach (var cluster in bed.Clusters.Skip(2)) cluster.Sim.Faults.Set(new FaultSettings { UnhealthyImages = [FleetBed.Red] });

        await bed.ApplyAsync(bed.Manifest("revert", FleetBed.Red,
        [
            FleetBed.Wave("canary", bed.Names(0, 1), "maxParallel: 2"),
            FleetBed.Wave("second", bed.Names(2, 3), "maxParallel: 2"),
        ], "clusterTimeout: 3s", "onFailure: revert"));

        var reverted = await bed.WaitForAsync("revert", s => s.Phase == "Reverted", "reverted", TimeSpan.FromSeconds(45));
        // Budget 0: the first failure spends it. Whether the second cluster's timeout is judged in the same pass depends on
        // when each start landed (starts are not waited for together), so the count is 1 or 2.
        Assert.Matches(@"^reverted \(failure budget of wave second spent \([12] failed, budget 0\)\)", reverted.Message);
        Assert.All(reverted.Waves.SelectMany(w => w.Clusters), c => Assert.Equal("Reverted", c.State));
        foreach (var cluster in bed.Clusters)
        {
            Assert.Equal(old[cluster.Name].Image, cluster.DeploymentImage());
            await cluster.WaitUntilAsync(() => cluster.Weights() == (100, 0), "the VirtualService at 100/0");
            Assert.Equal(old[cluster.Name].Stable, cluster.SelectorHash(TestCluster.StableService));
        }
        // Last wave first: the first wave's clusters were restored only after the second wave's.
        var restoredAt = reverted.Waves.Select(w => w.Clusters.Max(c => c.FinishedAt)).ToList();
        var firstWaveRestoreStart = reverted.Waves[0].Clusters.Min(c => c.StartedAt);
        Assert.True(restoredAt[1] <= firstWaveRestoreStart, $"wave canary was reverted before wave second was done");
    }
}
