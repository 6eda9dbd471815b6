using Coordinator.Domain.Fleet;
using Coordinator.Domain.Tests.Support;

namespace Coordinator.Domain.Tests.Fleet;

/// <summary>FleetEstimate: rounds of maxParallel clusters, each the Rollout's steps and timed pauses, plus bake times.</summary>
public sealed class FleetEstimateTests
{
    private static readonly TimeSpan PerStep = TimeSpan.FromSeconds(10);

    private static PlannedWave Wave(string name, int clusters, int maxParallel, int bakeSeconds = 0) =>
        new(name, [.. Enumerable.Range(1, clusters).Select(i => $"{name}-{i}")], maxParallel, TimeSpan.FromSeconds(bakeSeconds), false, 0);

    [Fact]
    public void The_seed_canary_takes_four_steps_and_three_30s_pauses_per_cluster()
    {
        var (duration, indefinite) = FleetEstimate.PerCluster(Fixtures.SeedSpec, PerStep);

        Assert.Equal(TimeSpan.FromSeconds(4 * 10 + 3 * 30), duration);
        Assert.False(indefinite);
    }

    [Fact]
    public void Waves_run_in_rounds_of_maxParallel_then_bake()
    {
        var plan = new FleetPlan([Wave("canary", 1, 1, bakeSeconds: 30), Wave("europe", 8, 3, bakeSeconds: 60), Wave("rest", 10, 10)], int.MaxValue);

        var estimate = FleetEstimate.Estimate(plan, Fixtures.SeedSpec, PerStep);

        // One cluster: 130 s. canary 1 round + 30 s; europe ceil(8/3) = 3 rounds + 60 s; rest 1 round.
        Assert.Equal([160, 450, 130], estimate.Waves.Select(w => (int)w.Duration.TotalSeconds));
        Assert.Equal(["canary", "europe", "rest"], estimate.Waves.Select(w => w.Name));
        Assert.Equal(TimeSpan.FromSeconds(740), estimate.Total);
        Assert.Equal("about 12m20s", estimate.ToString());
    }

    [Fact]
    public void An_indefinite_pause_adds_manual_promotion()
    {
        var spec = Fixtures.SeedSpec.WithSteps(Fixtures.Weight(20), Fixtures.Pause(), Fixtures.Weight(100));

        var estimate = FleetEstimate.Estimate(new FleetPlan([Wave("all", 2, 1)], int.MaxValue), spec, PerStep);

        Assert.True(estimate.NeedsManualPromotion);
        Assert.Equal(TimeSpan.FromSeconds(40), estimate.Total);
        Assert.Equal("about 40s plus manual promotion", estimate.ToString());
    }

    [Fact]
    public void A_Rollout_without_steps_still_takes_one_step_and_pause_units_follow_Argo()
    {
        Assert.Equal(PerStep, FleetEstimate.PerCluster(Fixtures.SeedSpec.WithSteps(), PerStep).Duration);
        Assert.Equal(TimeSpan.FromSeconds(10 + 90),
            FleetEstimate.PerCluster(Fixtures.SeedSpec.WithSteps(Fixtures.Weight(100), Fixtures.Pause("1m30s")), PerStep).Duration);
    }
}
