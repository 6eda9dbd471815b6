extern alias cli;
using cli::Coordinator.Grpc.V1;
using Grpc.Core;

namespace Coordinator.Silo.Tests.Fleet;

/// <summary>Bad FleetRollout input is refused with InvalidArgument naming the field, and nothing is written in any cluster.</summary>
public sealed class FleetBadInputTests(SiloFixture silo) : IClassFixture<SiloFixture>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await FleetScenario.ApplyQuickSeedAsync(silo.Grpc);
        // Quiet from here: the seed's ReplicaSet scale-down and status writes are done.
        var settled = silo.FleetResourceVersion;
        await SiloFixture.WaitUntilAsync(() =>
        {
            var now = silo.FleetResourceVersion;
            var quiet = now == settled;
            settled = now;
            return quiet && silo.Grpc.GetRollout(new RolloutRequest { Name = "rollouts-demo", Namespace = "test" }).Clusters.All(c => c.Phase == "Healthy");
        }, "the clusters are quiet");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string, string> BadManifests => new()
    {
        // Read by the parser (the one parse of the request, under the configured limits).
        { "an unknown field", FleetScenario.Fleet("bad").Replace("onFailure: halt", "onFailure: halt\n  onFailur: halt"), "spec.onFailur" },
        { "a bad policy", FleetScenario.Fleet("bad").Replace("onFailure: halt", "onFailure: explode"), "spec.onFailure" },
        { "a bad maxParallel", FleetScenario.Fleet("bad").Replace("maxParallel: 1", "maxParallel: -3"), "spec.waves[2].maxParallel" },
        // Checked against the fleet by the grain.
        { "an unknown cluster", FleetScenario.Fleet("bad").Replace("names: [dev]", "names: [mars]"), "spec.waves[0].clusters" },
        { "a wave that selects nothing", FleetScenario.Fleet("bad").Replace("env: staging", "env: nowhere"), "spec.waves[1].clusters" },
    };

    [Theory]
    [MemberData(nameof(BadManifests))]
    public async Task A_bad_manifest_is_refused_naming_the_field_and_nothing_is_written(string what, string manifest, string field)
    {
        var before = silo.FleetResourceVersion;

        var apply = await Assert.ThrowsAsync<RpcException>(async () => await silo.Fleets.ApplyFleetRolloutAsync(new ApplyFleetRolloutRequest { Manifest = manifest }));
        var plan = await Assert.ThrowsAsync<RpcException>(async () => await silo.Fleets.PlanFleetRolloutAsync(new PlanFleetRolloutRequest { Manifest = manifest }));

        Assert.True(apply.StatusCode == StatusCode.InvalidArgument, $"{what}: {apply.Status}");
        Assert.Contains(field, apply.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, plan.StatusCode);
        Assert.Contains(field, plan.Status.Detail);
        Assert.Equal(before, silo.FleetResourceVersion);
        Assert.DoesNotContain("bad", (await silo.Fleets.ListFleetRolloutsAsync(new ListFleetRolloutsRequest())).FleetRollouts.Select(f => f.Name));
    }

    [Fact]
    public async Task An_empty_manifest_and_a_bad_name_are_refused_before_any_grain_is_called()
    {
        var empty = await Assert.ThrowsAsync<RpcException>(async () => await silo.Fleets.ApplyFleetRolloutAsync(new ApplyFleetRolloutRequest()));
        Assert.Equal((StatusCode.InvalidArgument, "manifest: must not be empty"), (empty.StatusCode, empty.Status.Detail));
        var name = await Assert.ThrowsAsync<RpcException>(async () => await silo.Fleets.GetFleetRolloutAsync(new FleetRolloutRequest { Name = "Not_A/Name" }));
        Assert.Equal(StatusCode.InvalidArgument, name.StatusCode);
        Assert.StartsWith("name: ", name.Status.Detail);
    }

    [Theory]
    [InlineData("get")]
    [InlineData("approve")]
    [InlineData("halt")]
    [InlineData("delete")]
    public async Task An_unknown_fleet_rollout_is_not_found(string command)
    {
        var result = await silo.CliAsync("fleet", command, "no-such-fleet");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: fleet rollout 'no-such-fleet' not found\n", result.Stderr);
    }

    [Fact]
    public async Task A_watch_of_an_unknown_fleet_rollout_is_not_found()
    {
        using var call = silo.Fleets.WatchFleetRollout(new FleetRolloutRequest { Name = "no-such-fleet" });

        var error = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }
}
