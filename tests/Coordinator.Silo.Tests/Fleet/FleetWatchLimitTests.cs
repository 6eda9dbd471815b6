extern alias cli;
using cli::Coordinator.Grpc.V1;
using Grpc.Core;

namespace Coordinator.Silo.Tests.Fleet;

/// <summary>WatchFleetRollout streams count against the same per-client limit as WatchRollout streams.</summary>
public sealed class FleetWatchLimitTests(TwoWatchesSiloFixture silo) : IClassFixture<TwoWatchesSiloFixture>
{
    [Fact]
    public async Task A_fleet_watch_over_the_limit_is_refused()
    {
        await FleetScenario.ApplyQuickSeedAsync(silo.Grpc);
        await silo.Fleets.ApplyFleetRolloutAsync(new ApplyFleetRolloutRequest { Manifest = FleetScenario.Fleet("watched", gated: true) });
        using var rollout = silo.Grpc.WatchRollout(new RolloutRequest { Name = "rollouts-demo", Namespace = "test" });
        Assert.True(await rollout.ResponseStream.MoveNext());
        using var fleet = silo.Fleets.WatchFleetRollout(new FleetRolloutRequest { Name = "watched" });
        Assert.True(await fleet.ResponseStream.MoveNext());
        Assert.Equal("watched", fleet.ResponseStream.Current.Name);

        using var third = silo.Fleets.WatchFleetRollout(new FleetRolloutRequest { Name = "watched" });
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await third.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("2 open watches, the limit (Coordinator:Limits:MaxWatchesPerClient)", refused.Status.Detail);
    }
}
