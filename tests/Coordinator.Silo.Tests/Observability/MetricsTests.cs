extern alias cli;
using System.Net;
using System.Text.RegularExpressions;
using cli::Coordinator.Grpc.V1;
using Coordinator.Silo.Tests.Fleet;

namespace Coordinator.Silo.Tests.Observability;

/// <summary>
/// <c>/metrics</c> as Prometheus scrapes it: Argo Rollouts' series, exactly named, for an applied rollout in every
/// cluster, the Kubernetes request counts, and the fleet's series while a FleetRollout runs.
/// The rollout gauges read a process-wide snapshot keyed by cluster, namespace and name; other test classes' silos in
/// this process run the same seed Rollout in clusters of the same names, so this class runs alone.
/// </summary>
[Collection(Name)]
public sealed class MetricsTests(SiloFixture silo) : IClassFixture<SiloFixture>
{
    public const string Name = "Process-wide meters";

    [Fact]
    public async Task Metrics_serve_argo_rollouts_series_for_an_applied_rollout_and_fleet_series_during_a_fleet_run()
    {
        await FleetScenario.ApplyQuickSeedAsync(silo.Grpc);

        var text = await ScrapeUntilAsync(t => new[] { "dev", "staging", "prod" }.All(cluster =>
            Regex.IsMatch(t, Series("rollout_info", $"cluster=\"{cluster}\"", "phase=\"Healthy\""))), "rollout_info shows every cluster Healthy");
        var rolloutScrape = text;
        Assert.Contains("# TYPE rollout_info gauge", text);
        foreach (var cluster in new[] { "dev", "staging", "prod" })
        {
            Assert.Matches(Series("rollout_info", "name=\"rollouts-demo\"", "namespace=\"test\"", $"cluster=\"{cluster}\"",
                "strategy=\"canary\"", "traffic_router=\"Istio\"", "phase=\"Healthy\"") + @" 1\b", text);
            Assert.Matches(Series("rollout_info_replicas_desired", $"cluster=\"{cluster}\"", "name=\"rollouts-demo\"") + @" 1\b", text);
            Assert.Matches(Series("rollout_info_replicas_available", $"cluster=\"{cluster}\"", "name=\"rollouts-demo\"") + @" 1\b", text);
            Assert.Matches(Series("rollout_phase", $"cluster=\"{cluster}\"", "phase=\"Healthy\"") + @" 1\b", text);
            Assert.Matches(Series("rollout_phase", $"cluster=\"{cluster}\"", "phase=\"Paused\"") + @" 0\b", text);
        }
        Assert.Contains("# TYPE rollout_reconcile histogram", text);
        Assert.Matches(Series("rollout_reconcile_count", "cluster=\"dev\"", "name=\"rollouts-demo\"", "namespace=\"test\""), text);
        Assert.Matches(Series("rollout_events_total", "cluster=\"dev\"", "type=\"Normal\"", "reason=\"RolloutCompleted\""), text);
        Assert.Contains("# TYPE controller_clientset_k8s_request_total counter", text);
        Assert.Matches(Series("controller_clientset_k8s_request_total", "cluster=\"staging\"", "kind=\"replicasets\"", "namespace=\"test\"", "status_code=\"201\"", "verb=\"Create\""), text);
        Assert.Matches(Series("coordinator_k8s_request_duration_seconds_count", "cluster=\"prod\""), text);
        Assert.Contains("orleans_", text); // Orleans' own meters
        Assert.DoesNotContain("rollout_info_ratio", text);
        Assert.DoesNotContain("rollout_events_total_total", text);

        const string name = "metrics-yellow";
        await silo.Fleets.ApplyFleetRolloutAsync(new ApplyFleetRolloutRequest { Manifest = FleetScenario.Fleet(name, gated: true) });
        // (Other test classes run silos in this process, and meters are process-wide: wait on this run's own series.)
        text = await ScrapeUntilAsync(t => Regex.IsMatch(t, Series("coordinator_fleet_clusters", $"fleet=\"{name}\"", "wave=\"dev\"", "state=\"Pending\"") + @" 1\b"),
            "the run waits for approval");
        Assert.Matches(Series("coordinator_fleet_runs", "phase=\"WaitingForApproval\""), text);
        Assert.Matches(Series("coordinator_fleet_clusters", $"fleet=\"{name}\"", "wave=\"prod\"", "state=\"Pending\"") + @" 1\b", text);

        await silo.Fleets.ApproveFleetRolloutAsync(new ApproveFleetRolloutRequest { Name = name });
        // Three waves of canaries on a machine shared with other tests: as long as the other fleet tests allow.
        await SiloFixture.WaitUntilAsync(() => silo.Fleets.GetFleetRollout(new FleetRolloutRequest { Name = name }).Phase == "Completed",
            "the run completes", TimeSpan.FromSeconds(180));
        text = await ScrapeUntilAsync(t => Regex.IsMatch(t, Series("coordinator_fleet_clusters", $"fleet=\"{name}\"", "wave=\"prod\"", "state=\"Healthy\"")),
            "the scrape shows the completed run");
        Assert.Matches(Series("coordinator_fleet_runs", "phase=\"Completed\""), text);
        foreach (var wave in new[] { "dev", "staging", "prod" })
        {
            Assert.Matches(Series("coordinator_fleet_clusters", $"fleet=\"{name}\"", $"wave=\"{wave}\"", "state=\"Healthy\"") + @" 1\b", text);
            Assert.Matches(Series("coordinator_fleet_wave_duration_seconds_count", $"fleet=\"{name}\"", $"wave=\"{wave}\"", "state=\"Completed\"") + @" 1\b", text);
        }
        // The canary's pauses ended and the weight moved on: the step lag is measured, with its unit in the name.
        Assert.Matches(Series("coordinator_rollout_step_lag_milliseconds_count", "cluster=\"prod\""), text);
        Assert.Matches(Series("controller_clientset_k8s_request_total", "cluster=\"prod\"", "kind=\"virtualservices\"", "status_code=\"200\""), text);

        // The Grafana dashboard is built on these series: every metric its queries name is served (except those that
        // appear only after a failure, Polly's, which appear once a resilience pipeline acts, and Orleans').
        using var dashboard = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync("deploy/grafana/coordinator-dashboard.json"));
        var queries = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.TryGetProperty("targets", out var targets) ? targets.EnumerateArray() : Enumerable.Empty<System.Text.Json.JsonElement>())
            .Select(t => Regex.Replace(t.GetProperty("expr").GetString()!, @"by \([^)]*\)", "")) // grouping labels are not metrics
            .ToList();
        Assert.NotEmpty(queries);
        var named = queries.SelectMany(q => Regex.Matches(q, @"\b(?:rollout|coordinator|controller|orleans|dotnet|http)_[a-z_]+\b").Select(m => m.Value))
            .Distinct()
            // Orleans' observable instruments belong to the first silo of a process (several share this test process).
            .Where(n => n is not "rollout_reconcile_error" && !n.StartsWith("orleans_", StringComparison.Ordinal)).ToList();
        // The rollout series are checked in the first scrape: the live snapshots are process-wide, and another test's
        // silo in this process whose clusters share these names may have removed "rollouts-demo" by now.
        Assert.All(named, metric => Assert.Matches($@"(?m)^{metric}[{{ ]", rolloutScrape + "\n" + text));
    }

    /// <summary>A series line of <paramref name="metric"/> whose labels include all of <paramref name="labels"/>, in any order.</summary>
    private static string Series(string metric, params string[] labels) =>
        $@"(?m)^{Regex.Escape(metric)}\{{" + string.Concat(labels.Select(l => $"(?=[^}}\n]*{Regex.Escape(l)})")) + @"[^}\n]*\}";

    private async Task<string> ScrapeUntilAsync(Func<string, bool> condition, string what, TimeSpan? timeout = null)
    {
        using var http = new HttpClient { BaseAddress = silo.HttpUrl };
        var text = "";
        await SiloFixture.WaitUntilAsync(() =>
        {
            var response = http.GetAsync("/metrics").GetAwaiter().GetResult();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
            text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            return condition(text);
        }, what, timeout);
        return text;
    }
}

[CollectionDefinition(MetricsTests.Name, DisableParallelization = true)]
public sealed class ProcessWideMetersCollection;
