using Coordinator.Domain.Fleet;
using static Coordinator.Domain.Tests.Fleet.FleetFixtures;

namespace Coordinator.Domain.Tests.Fleet;

/// <summary>FleetWaves.Resolve: waves to fixed cluster lists in registry order, counts resolved, errors naming the field.</summary>
public sealed class FleetWavesTests
{
    private static FleetPlan ResolveValid(FleetSpec spec, IReadOnlyList<FleetCluster> clusters, IReadOnlySet<string>? withRollout = null)
    {
        var resolution = FleetWaves.Resolve(spec, clusters, withRollout);
        Assert.True(resolution.IsValid, resolution.Error?.ToString());
        return resolution.Plan!;
    }

    private static string Refusal(FleetSpec spec, IReadOnlyList<FleetCluster> clusters, IReadOnlySet<string>? withRollout = null)
    {
        var resolution = FleetWaves.Resolve(spec, clusters, withRollout);
        Assert.Null(resolution.Plan);
        return resolution.Error!.ToString();
    }

    private static FleetSpec Spec(string yaml) => Parse(yaml).Spec;

    [Fact]
    public void The_issue_example_resolves_over_nine_clusters_each_in_the_first_wave_that_selects_it()
    {
        var fleet = NineClusters.Select(c => c.Name == "us-1" ? c with { Name = "dev" } : c).ToList();

        var plan = ResolveValid(IssueSpec, fleet);

        // spec.clusters selects tier web (6 of 9); dev (a web cluster in us) is the canary; europe takes its 2 web clusters.
        Assert.Equal(["canary", "europe", "rest"], plan.Waves.Select(w => w.Name));
        Assert.Equal(["dev"], plan.Waves[0].Clusters);
        Assert.Equal(["europe-1", "europe-2"], plan.Waves[1].Clusters);
        Assert.Equal(["us-2", "asia-1", "asia-2"], plan.Waves[2].Clusters);
        Assert.Equal([1, 1, 3], plan.Waves.Select(w => w.MaxParallel)); // 25% of 2 rounds up to 1; 10 capped at the wave's 3
        Assert.Equal([0, 0, 0], plan.Waves.Select(w => w.FailureBudget)); // 10% of 3 rounds down to 0
        Assert.Equal(TimeSpan.FromSeconds(30), plan.Waves[0].BakeTime);
        Assert.Equal([false, true, false], plan.Waves.Select(w => w.RequireApproval));
        Assert.Equal(2, plan.RunFailureBudget);
        Assert.Equal(["dev", "europe-1", "europe-2", "us-2", "asia-1", "asia-2"], plan.Clusters);
    }

    [Fact]
    public void Without_spec_clusters_every_cluster_with_the_Rollout_takes_part()
    {
        var spec = Spec(Minimal("  failureBudget: 50%").Replace("  - name: all", "  - name: first\n    clusters: {names: [asia-1, europe-1]}\n  - name: all"));

        var plan = ResolveValid(spec, NineClusters, new HashSet<string> { "europe-1", "europe-3", "us-2", "asia-1" });

        Assert.Equal(["europe-1", "asia-1"], plan.Waves[0].Clusters); // registry order, not the order of names
        Assert.Equal(["europe-3", "us-2"], plan.Waves[1].Clusters);
        Assert.Equal(2, plan.RunFailureBudget); // 50% of 4
    }

    [Fact]
    public void Without_a_run_budget_the_run_tolerates_any_number_and_without_the_Rollout_set_every_cluster_takes_part()
    {
        var plan = ResolveValid(Spec(Minimal()), NineClusters);

        Assert.Equal(int.MaxValue, plan.RunFailureBudget);
        Assert.Equal(NineClusters.Select(c => c.Name), Assert.Single(plan.Waves).Clusters);
    }

    [Fact]
    public void Percentages_resolve_against_the_wave_parallelism_up_and_budgets_down()
    {
        var spec = Spec(Minimal().Replace("  - name: all", "  - name: all\n    maxParallel: 30%\n    failureBudget: 30%"));

        var wave = Assert.Single(ResolveValid(spec, NineClusters).Waves);

        Assert.Equal((3, 2), (wave.MaxParallel, wave.FailureBudget)); // ceil(2.7), floor(2.7)
    }

    [Fact]
    public void Match_expressions_select_clusters()
    {
        var spec = Spec(Minimal().Replace("  - name: all", """
              - name: not-europe-web
                clusters: {selector: {matchExpressions: [{key: region, operator: NotIn, values: [europe]}, {key: app-tier, operator: In, values: [web]}]}}
              - name: all
            """));

        var plan = ResolveValid(spec, NineClusters);

        Assert.Equal(["us-1", "us-2", "asia-1", "asia-2"], plan.Waves[0].Clusters);
    }

    public static TheoryData<string, string, string> Errors => new()
    {
        {
            "unknown cluster",
            "  - name: first\n    clusters: {names: [europe-1, mars]}\n  - name: all",
            "spec.waves[0].clusters.names[1]: Not found: \"mars\": the fleet's clusters are europe-1, europe-2, europe-3, us-1, us-2, us-3, asia-1, asia-2, asia-3"
        },
        {
            "a wave that selects nothing",
            "  - name: first\n    clusters: {names: [us-1]}\n  - name: moon\n    clusters: {selector: {matchLabels: {region: moon}}}\n  - name: all",
            "spec.waves[1].clusters: Invalid value: {\"selector\":{\"matchLabels\":{\"region\":\"moon\"}}}: selects no cluster taking part (europe-1, europe-2, europe-3, us-1, us-2, us-3, asia-1, asia-2, asia-3)"
        },
        {
            "a wave whose clusters an earlier wave took",
            "  - name: us\n    clusters: {selector: {matchLabels: {region: us}}}\n  - name: us-web\n    clusters: {selector: {matchLabels: {region: us, app-tier: web}}}\n  - name: all",
            "spec.waves[1].clusters: Invalid value: {\"selector\":{\"matchLabels\":{\"app-tier\":\"web\",\"region\":\"us\"}}}: selects no cluster: us-1, us-2 are in an earlier wave"
        },
        {
            "a last wave with nothing left",
            "  - name: first\n    clusters: {selector: {matchExpressions: [{key: region, operator: Exists}]}}\n  - name: all",
            "spec.waves[1]: Invalid value: \"all\": takes no cluster: every cluster taking part is in an earlier wave"
        },
        {
            "overlapping names",
            "  - name: first\n    clusters: {names: [us-1, us-2]}\n  - name: second\n    clusters: {names: [asia-1, us-2]}\n  - name: all",
            "spec.waves[1].clusters.names[1]: Duplicate value: \"us-2\": already in spec.waves[0] (a cluster is in one wave only)"
        },
        {
            "clusters in no wave",
            "  - name: first\n    clusters: {selector: {matchLabels: {region: europe}}}",
            "spec.waves: Invalid value: \"us-1, us-2, us-3, asia-1, asia-2, asia-3\": these clusters take part but no wave selects them: select them in a wave, or end with a wave without clusters (it takes every cluster left)"
        },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Waves_that_do_not_fit_the_fleet_are_refused_naming_the_field(string why, string waves, string message)
    {
        var spec = Spec(Minimal().Replace("  - name: all", waves));

        Assert.True(message == Refusal(spec, NineClusters), $"{why}: {Refusal(spec, NineClusters)}");
    }

    [Fact]
    public void A_named_cluster_without_the_Rollout_is_refused()
    {
        var spec = Spec(Minimal().Replace("  - name: all", "  - name: first\n    clusters: {names: [us-1]}\n  - name: all"));

        Assert.Equal("spec.waves[0].clusters.names[0]: Invalid value: \"us-1\": the cluster has no Rollout test/rollouts-demo (apply it there first)",
            Refusal(spec, NineClusters, new HashSet<string> { "europe-1" }));
    }

    [Fact]
    public void A_named_cluster_that_spec_clusters_leaves_out_is_refused()
    {
        var spec = Spec(Minimal("  clusters: {selector: {matchLabels: {region: europe}}}").Replace("  - name: all", "  - name: first\n    clusters: {names: [us-1]}\n  - name: all"));

        Assert.Equal("spec.waves[0].clusters.names[0]: Invalid value: \"us-1\": the cluster does not take part: spec.clusters does not select it", Refusal(spec, NineClusters));
    }

    [Fact]
    public void Unknown_names_in_spec_clusters_are_refused_and_a_long_fleet_is_not_listed_whole()
    {
        var fleet = Enumerable.Range(1, 1000).Select(i => Cluster($"c{i}")).ToList();
        var spec = Spec(Minimal("  clusters: {names: [c1, c1001]}"));

        Assert.Equal("spec.clusters.names[1]: Not found: \"c1001\": the fleet's clusters are c1, c2, c3, c4, c5, c6, c7, c8, c9, c10 and 990 more", Refusal(spec, fleet));
    }

    [Fact]
    public void A_fleet_where_no_cluster_has_the_Rollout_is_refused_naming_the_Rollout()
    {
        Assert.Equal("spec.rollout.name: Not found: \"rollouts-demo\": no cluster has the Rollout test/rollouts-demo (the fleet's clusters are dev, staging, prod)",
            Refusal(Spec(Minimal()), EmbeddedFleet, new HashSet<string>()));
        Assert.Equal("spec.clusters: Invalid value: {\"selector\":{\"matchLabels\":{\"env\":\"qa\"}}}: selects no cluster (the fleet's clusters are dev, staging, prod)",
            Refusal(Spec(Minimal("  clusters: {selector: {matchLabels: {env: qa}}}")), EmbeddedFleet));
        Assert.Equal("spec.clusters: Forbidden: the fleet has no clusters (Coordinator:Clusters)", Refusal(Spec(Minimal()), []));
    }

    [Fact]
    public void Static_rules_come_first()
    {
        var spec = Spec(Minimal().Replace("  - name: all", "  - name: all\n    maxParallel: 0"));

        Assert.Equal("spec.waves[0].maxParallel: Invalid value: 0: must be greater than 0", Refusal(spec, NineClusters));
    }

    [Fact]
    public void Ten_thousand_clusters_resolve_quickly()
    {
        var fleet = Enumerable.Range(0, 10_000).Select(i => Cluster($"c{i}", ("ring", (i % 3).ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToList();
        var spec = Spec(Minimal().Replace("  - name: all", "  - name: ring0\n    clusters: {selector: {matchLabels: {ring: \"0\"}}}\n    maxParallel: 10%\n  - name: ring1\n    clusters: {selector: {matchLabels: {ring: \"1\"}}}\n  - name: all"));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var plan = ResolveValid(spec, fleet, fleet.Select(c => c.Name).ToHashSet());

        Assert.Equal([3334, 3333, 3333], plan.Waves.Select(w => w.Clusters.Count));
        Assert.Equal(334, plan.Waves[0].MaxParallel);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"resolved in {clock.Elapsed}");
    }
}
