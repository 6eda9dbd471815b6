using Coordinator.Abstractions;
using Coordinator.Grains.Tests.Infrastructure;

namespace Coordinator.Grains.Tests.Fleet;

/// <summary>The fleet-wide budget of concurrent changes, and input the fleet refuses before it writes anything.</summary>
[Collection(CoordinatorCollection.Name)]
public sealed class FleetBudgetTests(CoordinatorFixture fixture)
{
    [Fact]
    public async Task Two_fleet_runs_together_never_change_more_clusters_at_once_than_the_fleet_wide_budget()
    {
        var bed = await FleetBed.CreateAsync(fixture, 8);
        using var log = new FleetWriteLog(bed.Clusters);
        var one = new FleetBed(fixture, bed.Clusters.Take(4).ToList());
        var two = new FleetBed(fixture, bed.Clusters.Skip(4).ToList());

        await Task.WhenAll(
            one.ApplyAsync(one.Manifest("budget-one", FleetBed.Yellow, [FleetBed.Wave("all", one.Clusters.Select(c => c.Name), "maxParallel: 4")])),
            two.ApplyAsync(two.Manifest("budget-two", FleetBed.Yellow, [FleetBed.Wave("all", two.Clusters.Select(c => c.Name), "maxParallel: 4")])));
        await Task.WhenAll(
            bed.WaitForAsync("budget-one", s => s.Phase == "Completed", "completed"),
            bed.WaitForAsync("budget-two", s => s.Phase == "Completed", "completed"));

        // Each run alone could have changed 4 at once; together they shared the budget of 4.
        Assert.Equal(CoordinatorFixture.MaxClustersInProgress, log.MostInProgress(bed.Clusters.Select(c => c.Name).ToList()));
        Assert.All(bed.Clusters, c => Assert.Equal(FleetBed.Yellow, c.DeploymentImage()));
    }

    [Fact]
    public async Task Released_clusters_free_their_slots_and_only_the_releasing_fleets()
    {
        var budget = fixture.Grains.GetGrain<Coordinator.Grains.Fleet.IFleetBudgetGrain>(0);
        var free = await budget.Free();
        Assert.True(free >= 3, $"the other tests left {free} slots");

        Assert.Equal(["a", "b"], await budget.Acquire("release-one", ["a", "b"]));
        Assert.Equal(["c"], await budget.Acquire("release-two", ["c"]));
        await budget.Release("release-one", ["a", "c", "unknown"]); // c is release-two's: it keeps its slot
        Assert.Equal(free - 2, await budget.Free());

        await budget.Retain("release-one", []);
        await budget.Release("release-two", ["c"]);
        Assert.Equal(free, await budget.Free());
    }

    [Fact]
    public async Task A_template_naming_a_container_the_Deployment_lacks_is_refused_naming_the_field_and_clusters()
    {
        var bed = await FleetBed.CreateAsync(fixture, 2);
        var manifest = bed.Manifest("wrong-container", FleetBed.Yellow, [FleetBed.Wave("all", bed.Names(0, 1))]).Replace("- name: rollouts-demo", "- name: sidecar");
        var images = bed.Clusters.Select(c => c.DeploymentImage()).ToList();

        var refused = await Assert.ThrowsAsync<RolloutCommandException>(() => bed.ApplyAsync(manifest));

        Assert.Equal(CommandFailure.InvalidArgument, refused.Failure);
        Assert.Equal("spec.template.spec.containers[0].name", refused.Field);
        Assert.Equal("spec.template.spec.containers[0].name: Not found: \"sidecar\": the Deployment test/rollouts-demo has the containers rollouts-demo "
            + $"(clusters {bed.Clusters[0].Name}, {bed.Clusters[1].Name})",
            refused.Message);
        Assert.Equal(images, bed.Clusters.Select(c => c.DeploymentImage()));
        Assert.False((await bed.Fleet("wrong-container").Get()).Exists);
    }

    [Fact]
    public async Task A_changed_spec_applied_during_a_run_starts_the_next_run_when_the_current_one_ends()
    {
        var bed = await FleetBed.CreateAsync(fixture, 1);
        var waves = new[] { FleetBed.Wave("all", bed.Names(0), "requireApproval: true") };
        await bed.ApplyAsync(bed.Manifest("edited", FleetBed.Yellow, waves));

        var queued = await bed.ApplyAsync(bed.Manifest("edited", "argoproj/rollouts-demo:blue", waves));
        Assert.Equal(1, queued.Run);
        Assert.Equal("rollouts-demo=argoproj/rollouts-demo:yellow", queued.Change);
        Assert.EndsWith("; a changed spec waits for run 2, which starts when this run ends", queued.Message);

        await bed.Fleet("edited").Approve(null);
        var second = await bed.WaitForAsync("edited", s => s.Run == 2 && s.Phase == "WaitingForApproval", "run 2 waiting");
        Assert.Equal("rollouts-demo=argoproj/rollouts-demo:blue", second.Change);
        Assert.Equal(FleetBed.Yellow, bed.Clusters[0].DeploymentImage()); // run 1 completed with its own plan
    }

    [Fact]
    public async Task The_plan_preview_resolves_the_waves_and_estimates_the_duration_without_writing()
    {
        var bed = await FleetBed.CreateAsync(fixture, 3);
        var manifest = ParsedFleetManifest.Parse(bed.Manifest("preview", FleetBed.Yellow,
            [FleetBed.Wave("first", bed.Names(0), "bakeTime: 1m"), FleetBed.Wave("rest", bed.Names(1, 2), "maxParallel: 2", "requireApproval: true")]));

        var plan = await bed.Fleet("preview").Plan(manifest);

        Assert.Equal(["first", "rest"], plan.Waves.Select(w => w.Name));
        Assert.Equal(bed.Names(1, 2), plan.Waves[1].Clusters);
        Assert.Equal(2, plan.Waves[1].MaxParallel);
        Assert.True(plan.Waves[0].EstimatedDuration > TimeSpan.FromMinutes(1), $"{plan.Waves[0].EstimatedDuration}");
        Assert.Equal(plan.Waves.Sum(w => w.EstimatedDuration.Ticks), plan.EstimatedDuration.Ticks);
        Assert.Contains("wave rest waits for approval (rolloutctl fleet approve preview --wave rest)", plan.Notes);
        Assert.False((await bed.Fleet("preview").Get()).Exists);
        Assert.All(bed.Clusters, c => Assert.NotEqual(FleetBed.Yellow, c.DeploymentImage()));
    }
}
