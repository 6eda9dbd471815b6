using Coordinator.Abstractions;
using Coordinator.Grains.Tests.Infrastructure;

namespace Coordinator.Grains.Tests.Fleet;

/// <summary>The gates between waves: a bake time after a wave is Healthy, and an approval before a wave starts.</summary>
[Collection(CoordinatorCollection.Name)]
public sealed class FleetGateTests(CoordinatorFixture fixture)
{
    [Fact]
    public async Task A_wave_waits_for_the_bake_time_of_the_one_before_and_then_for_its_approval()
    {
        var bed = await FleetBed.CreateAsync(fixture, 2);
        var (first, second) = (bed.Clusters[0], bed.Clusters[1]);
        var started = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        second.Sim.Committed += _ =>
        {
            if (second.DeploymentImage() == FleetBed.Yellow) started.TrySetResult(DateTimeOffset.UtcNow);
        };

        await bed.ApplyAsync(bed.Manifest("gated", FleetBed.Yellow,
        [
            FleetBed.Wave("canary", [first.Name], "bakeTime: 2s"),
            FleetBed.Wave("approved", [second.Name], "requireApproval: true"),
        ]));

        var baking = await bed.WaitForAsync("gated", s => s.Phase == "Baking", "baking");
        var bakeUntil = baking.Waves[0].BakeUntil!.Value;
        Assert.Equal($"wave canary: 1 of 1 clusters Healthy, baking until {bakeUntil.UtcDateTime:HH:mm:ss}", baking.Message);
        Assert.Equal(baking.NextWakeAt, bakeUntil);
        Assert.Equal(FleetBed.Yellow, first.DeploymentImage());

        var waiting = await bed.WaitForAsync("gated", s => s.Phase == "WaitingForApproval", "waiting for approval");
        Assert.True(DateTimeOffset.UtcNow >= bakeUntil, "the bake ended early");
        Assert.Equal("wave approved: waiting for approval (1 cluster)", waiting.Message);
        Assert.Equal("WaitingForApproval", waiting.Waves[1].State);
        Assert.False(started.Task.IsCompleted, "the second wave was written before it was approved");
        Assert.NotEqual(FleetBed.Yellow, second.DeploymentImage());

        var approvedAt = DateTimeOffset.UtcNow;
        await bed.Fleet("gated").Approve(null);
        Assert.True(await started.Task >= approvedAt);
        var done = await bed.WaitForAsync("gated", s => s.Phase == "Completed", "completed");
        Assert.Equal(["Completed", "Completed"], done.Waves.Select(w => w.State));
    }

    [Fact]
    public async Task Approving_when_no_wave_waits_is_refused_naming_the_field()
    {
        var bed = await FleetBed.CreateAsync(fixture, 1);
        await bed.ApplyAsync(bed.Manifest("no-approval", FleetBed.Yellow, [FleetBed.Wave("only", bed.Names(0), "requireApproval: true")]));

        var unknown = await Assert.ThrowsAsync<RolloutCommandException>(() => bed.Fleet("no-approval").Approve("later"));
        Assert.Equal("wave", unknown.Field);
        Assert.Contains("wave 'later' is not in the plan", unknown.Message);

        await bed.Fleet("no-approval").Approve("only");
        await bed.WaitForAsync("no-approval", s => s.Phase == "Completed", "completed");
        var late = await Assert.ThrowsAsync<RolloutCommandException>(() => bed.Fleet("no-approval").Approve(null));
        Assert.Equal(CommandFailure.FailedPrecondition, late.Failure);
    }

    [Fact]
    public async Task Deleting_a_fleet_forgets_it_and_leaves_the_clusters_as_they_are()
    {
        var bed = await FleetBed.CreateAsync(fixture, 2);
        await bed.ApplyAsync(bed.Manifest("forgotten", FleetBed.Yellow,
            [FleetBed.Wave("first", bed.Names(0)), FleetBed.Wave("second", bed.Names(1), "requireApproval: true")]));
        await bed.WaitForAsync("forgotten", s => s.Phase == "WaitingForApproval", "waiting for approval");
        Assert.Contains("forgotten", await fixture.Grains.GetGrain<IFleetDirectoryGrain>(0).ListFleets());

        var deleted = await bed.Fleet("forgotten").Delete();

        Assert.False(deleted.Exists);
        Assert.False((await bed.Fleet("forgotten").Get()).Exists);
        Assert.DoesNotContain("forgotten", await fixture.Grains.GetGrain<IFleetDirectoryGrain>(0).ListFleets());
        Assert.Equal(FleetBed.Yellow, bed.Clusters[0].DeploymentImage());
        Assert.NotEqual(FleetBed.Yellow, bed.Clusters[1].DeploymentImage());
        var missing = await Assert.ThrowsAsync<RolloutCommandException>(() => bed.Fleet("forgotten").Approve(null));
        Assert.Equal(CommandFailure.NotFound, missing.Failure);
    }
}
