using System.Text.Json.Nodes;
using Coordinator.Grains.Tests.Infrastructure;
using k8s;
using k8s.Models;
using static Coordinator.Grains.Tests.Infrastructure.TestCluster;

namespace Coordinator.Grains.Tests;

/// <summary>
/// Issue 10's first finding: on a cluster with Argo Rollouts' CRD installed, the garbage collector deleted every
/// ReplicaSet whose controller was an argoproj Rollout that does not exist. With the CRD installed the way a user does
/// it, the seed runs to revision 2 and through deletion without the collector ever deleting a ReplicaSet, while the same
/// collector does delete a ReplicaSet owned by a missing Rollout (so it is at work in this cluster).
/// </summary>
[Collection(CoordinatorCollection.Name)]
public sealed class ArgoCrdInstalledTests(CoordinatorFixture fixture)
{
    [Fact]
    public async Task The_seed_runs_to_revision_2_and_through_deletion_and_the_collector_never_deletes_a_ReplicaSet()
    {
        var cluster = await fixture.NewClusterAsync();
        using var client = cluster.NewClient();
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(ArgoRolloutCrd.CrdFile));
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        var served = await client.CustomObjects.GetAPIResourcesAsync(ArgoRolloutCrd.Group, ArgoRolloutCrd.Version);
        Assert.Contains(served.Resources, r => r.Name == "rollouts");
        await using var timeline = await ClusterTimeline.StartAsync(client, Namespace);

        // The collector is at work here: what earlier versions wrote, a ReplicaSet controlled by a Rollout that does
        // not exist, goes once the kind is served.
        cluster.Sim.Create("replicasets", Namespace, OwnedByMissingRollout("orphan-of-a-missing-rollout"));
        await SettledAsync(cluster);
        Assert.Null(cluster.Sim.Get("replicasets", Namespace, "orphan-of-a-missing-rollout"));

        var h1 = await cluster.ApplyHealthyAsync(Manifests.FastSeedRollout());
        var h2 = await cluster.UpdateToHealthyAsync("argoproj/rollouts-demo:yellow", revision: 2);
        await cluster.WaitUntilAsync(() => cluster.Replicas(h1) == 0 && cluster.Weights() == (100, 0), "revision 1 scaled down, all traffic on revision 2");

        // A full sweep with both revisions present keeps them: their owner exists.
        cluster.Sim.GarbageCollector.Sweep();
        await SettledAsync(cluster);
        Assert.Equal(new[] { h1, h2 }.Order(), cluster.RolloutReplicaSets().Select(Hash).Order());
        Assert.DoesNotContain(timeline.Entries, e => e.Kind == "ReplicaSet" && e.Name.StartsWith("rollouts-demo-", StringComparison.Ordinal) && e.State == "deleted");
        Assert.Equal(h2, cluster.SelectorHash(StableService));
        Assert.Equal(h2, cluster.SelectorHash(CanaryService));

        // Deletion removes them, and only then.
        await cluster.Rollout().Delete();
        await cluster.WaitUntilAsync(() => cluster.RolloutReplicaSets().Count == 0, "the rollout's ReplicaSets are deleted");
        Assert.False((await cluster.Rollout().Get()).Exists);
        Assert.Null(cluster.SelectorHash(StableService));
        Assert.Equal(0, cluster.Sim.Traffic(Namespace, "rollouts-demo.local").ErrorShare);
        Assert.Empty(cluster.Sim.List("rollouts", Namespace)); // the coordinator never created an object Argo's controller would reconcile
    }

    private static async Task SettledAsync(TestCluster cluster)
    {
        await cluster.Sim.WhenControllersIdleAsync();
        await cluster.Sim.GarbageCollector.WaitIdleAsync();
    }

    private static string Hash(JsonObject replicaSet) =>
        replicaSet["metadata"]!["labels"]!["rollouts-pod-template-hash"]!.GetValue<string>();

    /// <summary>A ReplicaSet with no pods whose controller is an argoproj Rollout that does not exist.</summary>
    private static JsonObject OwnedByMissingRollout(string name) =>
        OwnedReplicaSets.Create(name, ArgoRolloutCrd.ApiVersion, "Rollout", "rollouts-demo", Guid.NewGuid().ToString());
}
