using System.Globalization;
using Coordinator.Grains.Tests.Infrastructure;
using static Coordinator.Grains.Tests.Infrastructure.TestCluster;

namespace Coordinator.Grains.Tests;

/// <summary>
/// Deleting a Rollout whose Deployment was scaled to 0 (seed README §5–§6, Argo #3855): the coordinator brings the
/// Deployment back and waits for it before it gives the traffic back, so no request ever lands on no pod.
/// </summary>
[Collection(CoordinatorCollection.Name)]
public sealed class DeletionTests(CoordinatorFixture fixture)
{
    [Fact]
    public async Task Deletion_with_the_Deployment_at_zero_rescales_it_before_any_selector_loses_its_hash()
    {
        var cluster = await fixture.NewClusterAsync();
        var h1 = await cluster.ApplyHealthyAsync(Manifests.FastSeedRollout());
        cluster.ScaleDeployment(0);
        await cluster.WaitUntilAsync(() => cluster.DeploymentAvailable(RolloutName) == 0 && cluster.Sim.List("pods", Namespace, "!rollouts-pod-template-hash").Count == 0,
            "the Deployment's own pods are gone");
        Assert.Equal(0, cluster.Sim.Traffic(Namespace, "rollouts-demo.local").ErrorShare); // the rollout's pods serve everything

        using var probe = new CommitProbe(cluster.Sim,
            ("errors", () => cluster.Sim.Traffic(Namespace, "rollouts-demo.local").ErrorShare.ToString(CultureInfo.InvariantCulture)),
            ("deployment", () => cluster.DeploymentAvailable(RolloutName).ToString(CultureInfo.InvariantCulture)),
            ("stable", () => cluster.SelectorHash(StableService) ?? ""),
            ("canary", () => cluster.SelectorHash(CanaryService) ?? ""),
            ("replicasets", () => cluster.RolloutReplicaSets().Count.ToString(CultureInfo.InvariantCulture)));

        await cluster.Rollout().Delete();
        await cluster.WaitUntilAsync(() => cluster.RolloutReplicaSets().Count == 0, "the rollout's ReplicaSets are deleted");

        // At no committed change did any share of the traffic go to a Service without a Ready pod.
        Assert.True(probe.ValuesOf("errors").All(v => v == "0"), $"some traffic had no Ready pod to go to\n{probe}");
        var available = probe.First("deployment", v => v == "1", "available").ResourceVersion;
        var stableReleased = probe.First("stable", v => v == "", "released").ResourceVersion;
        var canaryReleased = probe.First("canary", v => v == "", "released").ResourceVersion;
        var replicaSetsGone = probe.First("replicasets", v => v == "0", "deleted").ResourceVersion;
        Assert.True(available < stableReleased && available < canaryReleased, $"the Deployment is available before the selectors are released\n{probe}");
        Assert.True(stableReleased < replicaSetsGone && canaryReleased < replicaSetsGone, $"selectors released before the ReplicaSets go\n{probe}");
        Assert.Equal(h1, probe.ValuesOf("stable")[0]);

        Assert.Equal(1, cluster.Sim.Get("deployments", Namespace, RolloutName)!["spec"]!["replicas"]!.GetValue<int>());
        Assert.Null(cluster.Service(StableService)["metadata"]?["annotations"]?["argo-rollouts.argoproj.io/managed-by-rollouts"]);
        Assert.Equal(1.0, cluster.Sim.Traffic(Namespace, "rollouts-demo.local").ShareOf("argoproj/rollouts-demo:blue"), 3);
        // The grain ends the deletion on its next look after the ReplicaSets went (their pods go later, in the background
        // garbage collector, as in a real cluster).
        Assert.False((await cluster.WaitForAsync(s => !s.Exists, "the rollout deleted")).Exists);
    }
}
