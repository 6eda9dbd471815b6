extern alias cli;
using Coordinator.Silo.Tests.Security;
using cli::Coordinator.Grpc.V1;
using Grpc.Core;

namespace Coordinator.Silo.Tests.Fleet;

/// <summary>
/// Authentication, authorization (resource <c>fleets</c>, object the FleetRollout's name) and audit of the FleetRollouts
/// service against the secure silo. The fleet's first wave waits for approval, so no cluster is written meanwhile.
/// </summary>
public sealed class FleetSecurityTests(SecureSiloFixture silo) : IClassFixture<SecureSiloFixture>
{
    private const string Name = "gated-yellow";

    [Fact]
    public async Task A_read_only_user_gets_lists_and_plans_but_may_change_nothing_and_every_mutating_call_is_audited()
    {
        var admin = silo.FleetClient(SecureSiloFixture.AdminToken);
        var viewer = silo.FleetClient(SecureSiloFixture.ViewerToken);
        var manifest = FleetScenario.Fleet(Name, gated: true);

        var unauthenticated = await Assert.ThrowsAsync<RpcException>(async () => await silo.FleetClient().ListFleetRolloutsAsync(new ListFleetRolloutsRequest()));
        Assert.Equal(StatusCode.Unauthenticated, unauthenticated.StatusCode);

        var denied = await Assert.ThrowsAsync<RpcException>(async () => await viewer.ApplyFleetRolloutAsync(new ApplyFleetRolloutRequest { Manifest = manifest }));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal($"permission denied: user \"viewer\" may not apply fleets \"{Name}\"", denied.Status.Detail);

        var applied = await admin.ApplyFleetRolloutAsync(new ApplyFleetRolloutRequest { Manifest = manifest });
        Assert.True(applied.Exists);
        var before = silo.FleetResourceVersion;

        Assert.Equal(Name, (await viewer.GetFleetRolloutAsync(new FleetRolloutRequest { Name = Name })).Name);
        Assert.Contains(Name, (await viewer.ListFleetRolloutsAsync(new ListFleetRolloutsRequest())).FleetRollouts.Select(f => f.Name));
        Assert.Equal(["dev", "staging", "prod"], (await viewer.PlanFleetRolloutAsync(new PlanFleetRolloutRequest { Manifest = manifest })).Waves.Select(w => w.Name));
        using (var watch = viewer.WatchFleetRollout(new FleetRolloutRequest { Name = Name }))
        {
            Assert.True(await watch.ResponseStream.MoveNext());
            Assert.Equal(Name, watch.ResponseStream.Current.Name);
        }

        var viewerCalls = new Dictionary<string, Func<Task>>
        {
            ["approve"] = async () => await viewer.ApproveFleetRolloutAsync(new ApproveFleetRolloutRequest { Name = Name }),
            ["halt"] = async () => await viewer.HaltFleetRolloutAsync(new FleetRolloutRequest { Name = Name }),
            ["resume"] = async () => await viewer.ResumeFleetRolloutAsync(new FleetRolloutRequest { Name = Name }),
            ["abort"] = async () => await viewer.AbortFleetRolloutAsync(new AbortFleetRolloutRequest { Name = Name, Revert = true }),
            ["revert"] = async () => await viewer.RevertFleetRolloutAsync(new FleetRolloutRequest { Name = Name }),
            ["delete"] = async () => await viewer.DeleteFleetRolloutAsync(new FleetRolloutRequest { Name = Name }),
        };
        foreach (var (action, call) in viewerCalls)
        {
            var refused = await Assert.ThrowsAsync<RpcException>(call);
            Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
            Assert.Equal($"permission denied: user \"viewer\" may not {action} fleets \"{Name}\"", refused.Status.Detail);
        }
        Assert.Equal(before, silo.FleetResourceVersion);
        Assert.True((await admin.GetFleetRolloutAsync(new FleetRolloutRequest { Name = Name })).Exists);

        // The admin's commands, each audited with its outcome (a command the run's state refuses is audited too).
        var adminCalls = new Dictionary<string, Func<Task>>
        {
            ["halt"] = async () => await admin.HaltFleetRolloutAsync(new FleetRolloutRequest { Name = Name }),
            ["resume"] = async () => await admin.ResumeFleetRolloutAsync(new FleetRolloutRequest { Name = Name }),
            ["abort"] = async () => await admin.AbortFleetRolloutAsync(new AbortFleetRolloutRequest { Name = Name }),
            ["delete"] = async () => await admin.DeleteFleetRolloutAsync(new FleetRolloutRequest { Name = Name }),
        };
        var results = new Dictionary<string, StatusCode>();
        foreach (var (action, call) in adminCalls)
        {
            try { await call(); results[action] = StatusCode.OK; }
            catch (RpcException ex) { results[action] = ex.StatusCode; }
        }
        Assert.Equal(StatusCode.OK, results["delete"]);
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await viewer.GetFleetRolloutAsync(new FleetRolloutRequest { Name = Name }));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);

        var audit = silo.Logs.Audit().Where(a => a["Object"] == Name).ToList();
        Assert.Contains(audit, a => a["User"] == "admin" && a["Action"] == "apply" && a["Result"] == "OK" && a["Method"] == "/coordinator.v1.FleetRollouts/ApplyFleetRollout"
            && a["Clusters"] == "[\"dev\", \"staging\", \"prod\"]" && a["Groups"].Contains("admins"));
        Assert.Contains(audit, a => a["User"] == "viewer" && a["Action"] == "apply" && a["Result"] == "PermissionDenied");
        foreach (var action in viewerCalls.Keys)
            Assert.Contains(audit, a => a["User"] == "viewer" && a["Action"] == action && a["Result"] == "PermissionDenied");
        foreach (var (action, result) in results)
            Assert.Contains(audit, a => a["User"] == "admin" && a["Action"] == action && a["Result"] == result.ToString());
        // Reads are not audited.
        Assert.DoesNotContain(audit, a => a["Action"] == "get");
    }
}
