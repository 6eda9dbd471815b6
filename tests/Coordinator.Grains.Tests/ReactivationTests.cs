using Coordinator.Grains.Fleet;
using Coordinator.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Coordinator.Grains.Tests;

/// <summary>
/// After a silo failure the survivors bring back the Rollouts that lived on it (here: one deactivated, as if its silo
/// had died) and leave the ones that stayed active alone: no request reaches their cluster, nothing of theirs changes.
/// </summary>
[Collection(CoordinatorCollection.Name)]
public sealed class ReactivationTests(CoordinatorFixture fixture)
{
    [Fact]
    public async Task Rollouts_without_an_activation_come_back_and_active_ones_are_left_alone()
    {
        var stayed = await fixture.NewClusterAsync();
        var lost = await fixture.NewClusterAsync();
        await stayed.ApplyHealthyAsync(Manifests.Rollout());
        await lost.ApplyHealthyAsync(Manifests.Rollout());
        var stayedBefore = await stayed.Rollout().Get();
        await fixture.Orleans.DeactivateAsync(lost.Rollout());
        var lostId = lost.Rollout().GetGrainId();
        Assert.DoesNotContain(lostId, await ActiveRolloutsAsync(lostId.Type));
        var requestsBefore = stayed.Sim.Requests.Reads + stayed.Sim.Requests.Count("patch") + stayed.Sim.Requests.Count("update");

        var reactivation = fixture.Orleans.Silos[0].ServiceProvider.GetRequiredService<RolloutReactivation>();
        await reactivation.RunAsync(CancellationToken.None);

        Assert.Contains(lostId, await ActiveRolloutsAsync(lostId.Type));
        var healthy = await lost.WaitForPhaseAsync("Healthy");
        Assert.Equal(lost.SelectorHash(TestCluster.StableService), healthy.StableHash);
        Assert.Equal(requestsBefore, stayed.Sim.Requests.Reads + stayed.Sim.Requests.Count("patch") + stayed.Sim.Requests.Count("update"));
        Assert.Equal(stayedBefore.Version, (await stayed.Rollout().Get()).Version);
    }

    private ValueTask<List<GrainId>> ActiveRolloutsAsync(GrainType type) => fixture.Grains.GetGrain<IManagementGrain>(0).GetActiveGrains(type);
}
