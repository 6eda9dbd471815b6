extern alias cli;
using System.Net;
using System.Net.Http.Json;
using Coordinator.Silo.Tests.Fleet;
using cli::Coordinator.Grpc.V1;

namespace Coordinator.Silo.Tests.Web;

/// <summary>
/// The web page with authentication on: it asks for a token, shows a read-only user the fleet without any button, refuses
/// that user's POST in the gRPC API's words, and lets an admin approve; both outcomes are audited as gRPC commands are.
/// </summary>
public sealed class FleetPageSecurityTests(UiSecureSiloFixture silo) : IClassFixture<UiSecureSiloFixture>
{
    private const string Name = "page-gated";

    [Fact]
    public async Task A_read_only_user_sees_the_fleet_without_actions_and_is_refused_while_an_admin_approves_through_the_page()
    {
        await FleetScenario.ApplyQuickSeedAsync(silo.Rollouts(UiSecureSiloFixture.AdminToken));
        var fleets = silo.FleetRollouts(UiSecureSiloFixture.AdminToken);
        await fleets.ApplyFleetRolloutAsync(new ApplyFleetRolloutRequest { Manifest = FleetScenario.Fleet(Name, gated: true) });

        // The page's files carry no data and are open; its API is not.
        using (var anonymous = silo.Http())
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/ui/")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/ui/api/fleets")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/ui/api/fleets/{Name}/events")).StatusCode);
        }

        using (var viewer = SignIn(UiSecureSiloFixture.ViewerToken, "viewer"))
        {
            viewer.WaitUntil(_ => viewer.Text("#why-waiting") == "wave dev: waiting for approval (1 cluster)", "the viewer sees the run wait for approval");
            viewer.WaitUntil(_ => viewer.Attributes("[data-rollout-cluster]", "data-rollout-cluster").Count == 3, "the viewer sees the Rollout of each cluster");
            Assert.Equal("WaitingForApproval", viewer.Text("tr[data-wave=dev] .wave-state"));
            Assert.Empty(viewer.Texts("#actions button"));
            Assert.Empty(viewer.Texts("[data-rollout-action]"));
        }

        // Posting the action anyway is refused as the gRPC API refuses it, and nothing changes.
        using (var viewerApi = silo.Http(UiSecureSiloFixture.ViewerToken))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/ui/api/fleets/{Name}/approve") { Headers = { { "X-Coordinator-Ui", "1" } } };
            var refused = await viewerApi.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal($"permission denied: user \"viewer\" may not approve fleets \"{Name}\"",
                (await refused.Content.ReadFromJsonAsync<Dictionary<string, string?>>())!["error"]);
        }
        Assert.Equal("WaitingForApproval", (await fleets.GetFleetRolloutAsync(new FleetRolloutRequest { Name = Name })).Waves[0].State);

        using (var admin = SignIn(UiSecureSiloFixture.AdminToken, "admin"))
        {
            admin.WaitUntil(_ => admin.Attributes("#actions button", "data-action").Count == 5, "the admin sees the fleet's buttons");
            Assert.Equal(["approve", "halt", "resume", "abort", "revert"], admin.Attributes("#actions button", "data-action"));
            admin.Click("#actions button[data-action=approve]", "the admin's Approve button is enabled");
            admin.WaitUntil(_ => admin.Text("tr[data-wave=dev] .wave-note").StartsWith("approved by admin", StringComparison.Ordinal), "dev shows who approved it");
            admin.WaitUntil(_ => admin.Text("tr[data-wave=dev] .wave-state") != "WaitingForApproval", "dev moves on");
        }
        Assert.Equal("admin", (await fleets.GetFleetRolloutAsync(new FleetRolloutRequest { Name = Name })).Waves[0].ApprovedBy);

        var audit = silo.Logs.Audit().Where(a => a["Object"] == Name && a["Action"] == "approve").ToList();
        Assert.Contains(audit, a => a["User"] == "viewer" && a["Result"] == "PermissionDenied" && a["Method"] == $"POST /ui/api/fleets/{Name}/approve");
        Assert.Contains(audit, a => a["User"] == "admin" && a["Result"] == "OK" && a["Method"] == $"POST /ui/api/fleets/{Name}/approve"
            && a["Clusters"] == "[\"dev\", \"staging\", \"prod\"]" && a["Groups"].Contains("admins") && a["Peer"].StartsWith("ipv4:127.0.0.1:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_page_API_refuses_a_POST_without_its_header_an_unknown_action_or_cluster_and_a_viewer_promote_naming_what_is_wrong()
    {
        using var admin = silo.Http(UiSecureSiloFixture.AdminToken);
        using var viewer = silo.Http(UiSecureSiloFixture.ViewerToken);

        var noHeader = await admin.PostAsync("/ui/api/fleets/any/halt", null);
        Assert.Equal(HttpStatusCode.BadRequest, noHeader.StatusCode);
        Assert.StartsWith("X-Coordinator-Ui: this header must be set", await ErrorOf(noHeader));

        var unknownAction = await Post(admin, "/ui/api/fleets/any/explode");
        Assert.Equal(HttpStatusCode.NotFound, unknownAction.StatusCode);
        Assert.Equal("action: unknown action 'explode' (known: approve, halt, resume, abort, revert)", await ErrorOf(unknownAction));

        var unknownCluster = await Post(admin, "/ui/api/rollouts/moon/test/rollouts-demo/promote");
        Assert.Equal(HttpStatusCode.NotFound, unknownCluster.StatusCode);
        Assert.Equal("cluster: unknown cluster 'moon' (known: dev, prod, staging)", await ErrorOf(unknownCluster));

        var badName = await admin.GetAsync("/ui/api/fleets/Not_A_Name");
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.StartsWith("name: ", await ErrorOf(badName));

        var promote = await Post(viewer, "/ui/api/rollouts/dev/test/rollouts-demo/promote");
        Assert.Equal(HttpStatusCode.Forbidden, promote.StatusCode);
        Assert.Equal("permission denied: user \"viewer\" may not promote rollouts \"dev/test/rollouts-demo\"", await ErrorOf(promote));
        Assert.Contains(silo.Logs.Audit(), a => a["User"] == "viewer" && a["Action"] == "promote" && a["Object"] == "test/rollouts-demo"
            && a["Clusters"] == "[\"dev\"]" && a["Result"] == "PermissionDenied");
    }

    private static async Task<HttpResponseMessage> Post(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Headers = { { "X-Coordinator-Ui", "1" } } };
        return await client.SendAsync(request);
    }

    private static async Task<string?> ErrorOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<Dictionary<string, string?>>())!["error"];

    /// <summary>Opens the page, which asks for a token, and signs in with it.</summary>
    private HeadlessChromium SignIn(string token, string user)
    {
        var browser = HeadlessChromium.Open(new Uri(silo.HttpUrl, "/ui/"));
        try
        {
            browser.WaitUntil(_ => browser.Find("#signin").Displayed, "the page asks for a token");
            browser.Find("#token").SendKeys(token);
            browser.Click("#signin button[type=submit]", "the Sign in button");
            browser.WaitUntil(_ => browser.Text("#user") == $"signed in as {user}", $"{user} is signed in");
            browser.WaitUntil(_ => browser.Text("#fleet-name") == Name, "the fleet rollout is shown");
            return browser;
        }
        catch
        {
            browser.Dispose();
            throw;
        }
    }
}
