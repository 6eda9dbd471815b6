extern alias cli;
using System.Net;
using Coordinator.Domain.Actions;
using Coordinator.Testing;
using Grpc.Core;
using cli::Coordinator.Grpc.V1;

namespace Coordinator.Silo.Tests.Security;

/// <summary>Authentication, per-cluster authorization and audit of the gRPC API, against the real silo with its simulated fleet.</summary>
public sealed class ApiSecurityTests(SecureSiloFixture silo) : IClassFixture<SecureSiloFixture>
{
    private const string Rollout = "rollouts-demo";

    private static RolloutRequest In(params string[] clusters) =>
        new() { Name = Rollout, Namespace = "test", Target = new Target { Clusters = { clusters } } };

    private long ResourceVersionOf(string cluster) => silo.Fleet.Clusters.Single(c => c.Name == cluster).ResourceVersion;

    [Fact]
    public async Task Calls_without_a_token_or_with_a_bad_one_are_unauthenticated()
    {
        var none = await Assert.ThrowsAsync<RpcException>(async () => await silo.Client().GetRolloutAsync(In("dev")));
        Assert.Equal(StatusCode.Unauthenticated, none.StatusCode);
        Assert.Equal(Coordinator.Silo.Security.StaticTokenHandler.UnauthenticatedMessage, none.Status.Detail);
        var bad = await Assert.ThrowsAsync<RpcException>(async () => await silo.Client("not-a-known-token").ListRolloutsAsync(new ListRolloutsRequest()));
        Assert.Equal(StatusCode.Unauthenticated, bad.StatusCode);
        Assert.DoesNotContain("not-a-known-token", bad.Status.Detail);
        Assert.DoesNotContain(silo.Logs.Rendered(), line => line.Contains("not-a-known-token"));
        // The empty-token record of the file authenticates nobody.
        var empty = await Assert.ThrowsAsync<RpcException>(async () => await silo.Client("").GetRolloutAsync(In("dev")));
        Assert.Equal(StatusCode.Unauthenticated, empty.StatusCode);
    }

    [Fact]
    public async Task A_read_only_user_gets_and_lists_but_may_not_promote_and_nothing_changes()
    {
        var viewer = silo.Client(SecureSiloFixture.ViewerToken);
        Assert.Equal(3, (await viewer.GetRolloutAsync(In())).Clusters.Count);
        Assert.Equal(3, (await viewer.ListRolloutsAsync(new ListRolloutsRequest { Namespace = "test" })).Rollouts.Count(r => r.Name == Rollout));

        var before = ResourceVersionOf("prod");
        var denied = await Assert.ThrowsAsync<RpcException>(async () => await viewer.PromoteRolloutAsync(new PromoteRolloutRequest
        {
            Name = Rollout, Namespace = "test", Target = new Target { Clusters = { "prod" } },
        }));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal("permission denied: user \"viewer\" may not promote rollouts \"prod/test/rollouts-demo\"", denied.Status.Detail);
        Assert.Equal(before, ResourceVersionOf("prod"));
        Assert.Contains(silo.Logs.Audit(), a => a["User"] == "viewer" && a["Action"] == "promote" && a["Result"] == "PermissionDenied"
            && a["Clusters"].Contains("prod"));
    }

    [Fact]
    public async Task An_admin_applies_sets_the_image_and_promotes_and_is_named_in_audit_history_and_events()
    {
        var admin = silo.Client(SecureSiloFixture.AdminToken);
        var manifest = Manifests.SeedRollout;
        await admin.ApplyRolloutAsync(new ApplyRolloutRequest { Manifest = manifest, Namespace = "test", Target = new Target { Clusters = { "dev" } } });
        await admin.SetImageAsync(new SetImageRequest
        {
            Name = Rollout, Namespace = "test", Container = "rollouts-demo", Image = "argoproj/rollouts-demo:yellow", Target = new Target { Clusters = { "dev" } },
        });
        var promoted = await admin.PromoteRolloutAsync(new PromoteRolloutRequest { Name = Rollout, Namespace = "test", Target = new Target { Clusters = { "dev" } } });

        var dev = silo.Fleet.Clusters.Single(c => c.Name == "dev");
        Assert.Equal("argoproj/rollouts-demo:yellow", dev.Get("deployments", "test", Rollout)!["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        // The rollout's history
        Assert.Contains(promoted.Clusters[0].Events, e => e.Message == "promote requested by admin");
        Assert.Contains(promoted.Clusters[0].Events, e => e.Message == "set image rollouts-demo=argoproj/rollouts-demo:yellow requested by admin");
        // The Kubernetes Events: the command's own names the user; those it caused carry the annotation.
        var events = dev.List("events", "test");
        string? RequestedBy(System.Text.Json.Nodes.JsonObject e) => e["metadata"]?["annotations"]?[RolloutEvents.RequestedByAnnotation]?.GetValue<string>();
        Assert.Contains(events, e => e["message"]?.GetValue<string>() == "promote requested by admin" && RequestedBy(e) == "admin");
        Assert.Contains(events, e => e["reason"]?.GetValue<string>() == RolloutEvents.NewReplicaSetCreatedReason && RequestedBy(e) == "admin");
        // The audit records
        var audit = silo.Logs.Audit();
        foreach (var action in new[] { "apply", "set-image", "promote" })
            Assert.Contains(audit, a => a["User"] == "admin" && a["Action"] == action && a["Result"] == "OK" && a["Object"] == "test/rollouts-demo"
                && a["Clusters"] == "[\"dev\"]" && a["Groups"].Contains("admins") && a["Peer"].Contains("127.0.0.1"));
    }

    [Fact]
    public async Task A_user_allowed_in_one_cluster_cannot_act_in_another_and_a_fleet_wide_call_is_refused_with_no_write()
    {
        var stella = silo.Client(SecureSiloFixture.StagingToken);
        var paused = await stella.PauseRolloutAsync(In("staging"));
        Assert.True(paused.Clusters.Single().Paused);
        var staging = silo.Fleet.Clusters.Single(c => c.Name == "staging");
        Assert.Contains(staging.List("events", "test"), e => e["message"]?.GetValue<string>() == "pause requested by stella"
            && e["metadata"]?["annotations"]?[RolloutEvents.RequestedByAnnotation]?.GetValue<string>() == "stella");
        await stella.ResumeRolloutAsync(In("staging"));

        var (prodBefore, stagingBefore) = (ResourceVersionOf("prod"), ResourceVersionOf("staging"));
        var devImage = silo.Fleet.Clusters.Single(c => c.Name == "dev").Get("deployments", "test", Rollout)!["spec"]!.ToJsonString();
        var inProd = await Assert.ThrowsAsync<RpcException>(async () => await stella.PauseRolloutAsync(In("prod")));
        Assert.Equal(StatusCode.PermissionDenied, inProd.StatusCode);
        Assert.Contains("may not pause rollouts \"prod/test/rollouts-demo\"", inProd.Status.Detail);

        // No target: every cluster; one is allowed, the others are not, so nothing is written anywhere.
        var everywhere = await Assert.ThrowsAsync<RpcException>(async () => await stella.SetImageAsync(new SetImageRequest
        {
            Name = Rollout, Namespace = "test", Container = "rollouts-demo", Image = "argoproj/rollouts-demo:red",
        }));
        Assert.Equal(StatusCode.PermissionDenied, everywhere.StatusCode);
        Assert.Contains("user \"stella\" may not set-image rollouts", everywhere.Status.Detail);
        Assert.Equal(prodBefore, ResourceVersionOf("prod"));
        Assert.Equal(stagingBefore, ResourceVersionOf("staging"));
        Assert.Equal(devImage, silo.Fleet.Clusters.Single(c => c.Name == "dev").Get("deployments", "test", Rollout)!["spec"]!.ToJsonString());

        // Reads return only what the user may get.
        var listed = await stella.ListRolloutsAsync(new ListRolloutsRequest { Namespace = "test" });
        Assert.Equal(["staging"], listed.Rollouts.Select(r => r.Cluster));
        Assert.Equal(["staging"], (await stella.GetRolloutAsync(In())).Clusters.Select(c => c.Cluster));
        Assert.Equal(["staging"], (await stella.ListClustersAsync(new ListClustersRequest())).Clusters.Select(c => c.Name));
    }

    [Fact]
    public async Task Oidc_tokens_from_the_issuer_are_accepted_and_wrong_audience_or_expired_ones_refused()
    {
        var valid = silo.Issuer.Token("jwt-admin", ["admins"], SecureSiloFixture.Audience, TimeSpan.FromMinutes(10));
        Assert.Equal(3, (await silo.Client(valid).ListClustersAsync(new ListClustersRequest())).Clusters.Count);

        var wrongAudience = silo.Issuer.Token("jwt-admin", ["admins"], "someone-else", TimeSpan.FromMinutes(10));
        var expired = silo.Issuer.Token("jwt-admin", ["admins"], SecureSiloFixture.Audience, TimeSpan.FromMinutes(-10));
        var wrongIssuer = silo.Issuer.Token("jwt-admin", ["admins"], SecureSiloFixture.Audience, TimeSpan.FromMinutes(10), issuer: "https://elsewhere.test");
        foreach (var token in new[] { wrongAudience, expired, wrongIssuer })
        {
            var error = await Assert.ThrowsAsync<RpcException>(async () => await silo.Client(token).ListClustersAsync(new ListClustersRequest()));
            Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        }

        // The groups claim counts: a token without the admins group is only as good as the policy makes it.
        var plain = silo.Issuer.Token("jwt-nobody", [], SecureSiloFixture.Audience, TimeSpan.FromMinutes(10));
        var denied = await Assert.ThrowsAsync<RpcException>(async () => await silo.Client(plain).PauseRolloutAsync(In("prod")));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Contains("user \"jwt-nobody\"", denied.Status.Detail);
    }

    [Fact]
    public async Task A_client_certificate_authenticates_its_common_name_with_its_organizations_as_groups()
    {
        var carol = silo.ClientWithCertificate("carol");
        Assert.Equal(Rollout, (await carol.GetRolloutAsync(In("prod"))).Name);
        var denied = await Assert.ThrowsAsync<RpcException>(async () => await carol.PromoteRolloutAsync(new PromoteRolloutRequest
        {
            Name = Rollout, Namespace = "test", Target = new Target { Clusters = { "prod" } },
        }));
        Assert.Equal("permission denied: user \"carol\" may not promote rollouts \"prod/test/rollouts-demo\"", denied.Status.Detail);

        var dave = silo.ClientWithCertificate("dave", "stagers");
        Assert.Equal(["staging"], (await dave.ListClustersAsync(new ListClustersRequest())).Clusters.Select(c => c.Name));

        // A certificate from another CA is no credential.
        using var otherCa = new TestCertificates("Some Other CA");
        var stranger = await Assert.ThrowsAsync<RpcException>(async () =>
            await silo.ClientWithCertificate(otherCa.Client("mallory", "admins")).GetRolloutAsync(In("prod")));
        Assert.Equal(StatusCode.Unauthenticated, stranger.StatusCode);
    }

    [Fact]
    public async Task Health_stays_open_and_the_dashboard_needs_a_user_allowed_to_get_every_cluster()
    {
        using var anonymous = silo.Http();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/dashboard/")).StatusCode);
        using var stella = silo.Http(SecureSiloFixture.StagingToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await stella.GetAsync("/dashboard/")).StatusCode);
        using var viewer = silo.Http(SecureSiloFixture.ViewerToken);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/dashboard/")).StatusCode);
    }

    [Fact]
    public async Task Metrics_need_a_user_by_default_while_the_grpc_health_service_stays_open()
    {
        using var anonymous = silo.Http();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        using var viewer = silo.Http(SecureSiloFixture.ViewerToken);
        var scrape = await viewer.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Contains("rollout_info{", await scrape.Content.ReadAsStringAsync());

        var health = new global::Grpc.Health.V1.Health.HealthClient(silo.AnonymousChannel);
        var reply = await health.CheckAsync(new global::Grpc.Health.V1.HealthCheckRequest());
        Assert.Equal(global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }
}
