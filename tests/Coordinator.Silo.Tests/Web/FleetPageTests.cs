extern alias cli;
using Coordinator.Silo.Tests.Fleet;
using cli::Coordinator.Grpc.V1;

namespace Coordinator.Silo.Tests.Web;

/// <summary>
/// The web page at <c>/ui</c> in headless chromium against the real silo on its embedded default (no authentication):
/// what a person sees while a FleetRollout runs, and its Approve button.
/// </summary>
public sealed class FleetPageTests(SiloFixture silo) : IClassFixture<SiloFixture>
{
    private const string Name = "page-yellow";

    /// <summary>The seed's change to yellow: dev first, then the rest (staging and prod together) once someone approves.</summary>
    public static string GatedFleet(string name) => $$"""
        apiVersion: coordinator.io/v1alpha1
        kind: FleetRollout
        metadata:
          name: {{name}}
        spec:
          rollout: {name: rollouts-demo, namespace: test}
          template:
            spec:
              containers:
              - name: rollouts-demo
                image: {{FleetScenario.Yellow}}
          waves:
          - name: dev
            clusters: {names: [dev]}
          - name: rest
            maxParallel: 2
            requireApproval: true
        """;

    [Fact]
    public async Task The_page_shows_waves_and_clusters_change_as_the_fleet_rollout_runs_and_its_Approve_button_moves_the_next_wave_on()
    {
        await FleetScenario.ApplyQuickSeedAsync(silo.Grpc);
        using var browser = HeadlessChromium.Open(new Uri(silo.HttpUrl, "/ui"));
        browser.WaitUntil(_ => browser.Text("#user") == "no authentication (embedded default)", "the page has loaded");
        Assert.Equal(new Uri(silo.HttpUrl, "/ui/").ToString(), browser.Page.Url);

        // Applied while the page is open: it shows up without a reload.
        await silo.Fleets.ApplyFleetRolloutAsync(new ApplyFleetRolloutRequest { Manifest = GatedFleet(Name) });
        browser.Click($"#fleet-list a[data-fleet='{Name}']", "the fleet rollout is listed");
        browser.WaitUntil(_ => browser.Text("#fleet-name") == Name && browser.Attributes("#waves tr[data-wave]", "data-wave").Count == 2, "its two waves");
        Assert.Equal(["dev", "rest"], browser.Attributes("#waves tr[data-wave]", "data-wave"));
        Assert.Equal(["dev"], ClustersOf(browser, "dev"));
        Assert.Equal(["prod", "staging"], ClustersOf(browser, "rest").Order());
        Assert.Equal("rollouts-demo=" + FleetScenario.Yellow, browser.Text("#fleet-change"));

        // dev runs its canary and is done; the next wave waits for a person, and the page says so.
        browser.WaitUntil(_ => State(browser, "dev") == "Progressing" || State(browser, "dev") == "Healthy", "dev starts");
        browser.WaitUntil(_ => State(browser, "dev") == "Healthy", "dev is Healthy");
        Assert.Equal("2", browser.Text("[data-cluster=dev] .revision"));
        Assert.Equal("Healthy", browser.Text("[data-cluster=dev] .phase"));
        browser.WaitUntil(_ => browser.Text("#why-waiting") == "wave rest: waiting for approval (2 clusters)", "the why-waiting line shows the approval wait");
        Assert.Equal("WaitingForApproval", browser.Text("tr[data-wave=rest] .wave-state"));
        Assert.Equal("Pending", State(browser, "staging"));
        Assert.Equal("Pending", State(browser, "prod"));

        // Each cluster's Rollout with its ReplicaSets and pods: dev's new ReplicaSet is stable and has its pod.
        browser.WaitUntil(_ => browser.Text("[data-rollout-cluster=dev] .rollout-phase") == "Healthy"
            && browser.Texts("[data-rollout-cluster=dev] [data-replicaset]").Any(rs => rs.Contains("stable") && rs.Contains(FleetScenario.Yellow))
            && browser.Texts("[data-rollout-cluster=dev] [data-pod]").Any(p => p.Contains("Running")),
            "dev's Rollout shows its stable ReplicaSet on yellow with a running pod");

        browser.Click("#actions button[data-action=approve]", "the Approve button is enabled");
        browser.WaitUntil(_ => State(browser, "staging") != "Pending" && State(browser, "prod") != "Pending", "the next wave moves on after Approve");
        Assert.DoesNotContain("waiting for approval", browser.Text("#why-waiting"));
        Assert.Equal("", browser.Text("#action-error"));
    }

    private static string State(HeadlessChromium browser, string cluster) => browser.Text($"[data-cluster={cluster}] .state");

    private static IEnumerable<string> ClustersOf(HeadlessChromium browser, string wave) =>
        browser.Attributes($"tr[data-wave={wave}] [data-cluster]", "data-cluster");
}
