using Coordinator.Grains.Tests.Infrastructure;
using static Coordinator.Grains.Tests.Infrastructure.TestCluster;

namespace Coordinator.Grains.Tests;

/// <summary>revisionHistoryLimit (§1.1): old ReplicaSets beyond the limit are deleted once scaled to zero, oldest first.</summary>
[Collection(CoordinatorCollection.Name)]
public sealed class RevisionHistoryTests(CoordinatorFixture fixture)
{
    [Fact]
    public async Task Only_revisionHistoryLimit_old_ReplicaSets_are_kept()
    {
        var cluster = await fixture.NewClusterAsync();
        var manifest = Manifests.Rollout(steps: ["setWeight: 50", "setWeight: 100"], spec: ["revisionHistoryLimit: 1"]);
        var blue = await cluster.ApplyHealthyAsync(manifest);
        var yellow = await cluster.UpdateToHealthyAsync("argoproj/rollouts-demo:yellow", revision: 2);
        var red = await cluster.UpdateToHealthyAsync("argoproj/rollouts-demo:red", revision: 3);

        // Blue is the oldest and at 0: deleted. Yellow waits for its scale-down delay, then is kept as the one old RS.
        await cluster.WaitUntilAsync(() => cluster.Sim.Get("replicasets", Namespace, $"{RolloutName}-{blue}") is null, "revision 1's RS is deleted");
        await cluster.WaitUntilAsync(() => cluster.Replicas(yellow) == 0, "revision 2 scaled down");
        Assert.Equal(new[] { $"{RolloutName}-{red}", $"{RolloutName}-{yellow}" }.Order(),
            cluster.RolloutReplicaSets().Select(rs => rs["metadata"]!["name"]!.GetValue<string>()).Order());
        Assert.Equal(1, cluster.Replicas(red));

        var green = await cluster.UpdateToHealthyAsync("argoproj/rollouts-demo:green", revision: 4);
        await cluster.WaitUntilAsync(() => cluster.Sim.Get("replicasets", Namespace, $"{RolloutName}-{yellow}") is null, "revision 2's RS is deleted");
        await cluster.WaitUntilAsync(() => cluster.Replicas(red) == 0, "revision 3 scaled down");
        Assert.Equal(2, cluster.RolloutReplicaSets().Count);
        Assert.Equal(1, cluster.Replicas(green));
    }
}
