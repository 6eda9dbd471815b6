using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Coordinator.Grains.Tests.Infrastructure;
using Coordinator.KubeSim.Faults;

namespace Coordinator.Grains.Tests;

/// <summary>
/// Issue 10: every ReplicaSet a rollout creates is controlled by an object that exists in its cluster — one ConfigMap
/// per rollout — so the garbage collector never deletes a live rollout's ReplicaSets; ReplicaSets still owned by an
/// argoproj Rollout (what earlier versions wrote) are adopted without touching a pod.
/// </summary>
[Collection(CoordinatorCollection.Name)]
public sealed class OwnerTests(CoordinatorFixture fixture)
{
    private const string Owner = "rollouts-demo.rollout";

    [Fact]
    public async Task Every_ReplicaSet_is_controlled_by_the_rollouts_ConfigMap_which_shows_the_rollout()
    {
        var cluster = await fixture.NewClusterAsync();
        var h1 = await cluster.ApplyHealthyAsync(Manifests.FastSeedRollout());
        await cluster.WaitUntilAsync(() => Data(cluster)?["phase"]?.GetValue<string>() == "Healthy", "the owner shows Healthy");

        var owner = cluster.Sim.Get("configmaps", TestCluster.Namespace, Owner)!;
        Assert.Equal("coordinator", owner["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]!.GetValue<string>());
        Assert.Equal("rollouts-demo", owner["metadata"]!["labels"]!["coordinator.io/rollout"]!.GetValue<string>());
        Assert.Equal(("7/7", "1", h1, h1, "0", "100"), Shown(cluster));

        // Writes to the owner during one update: only when a shown field changes.
        var ownerWrites = new ConcurrentBag<long>();
        cluster.Sim.Committed += change => { if (change.Resource == "configmaps" && change.Name == Owner) ownerWrites.Add(change.ResourceVersion); };
        var h2 = await cluster.UpdateToHealthyAsync("argoproj/rollouts-demo:yellow", revision: 2);
        await cluster.WaitUntilAsync(() => Shown(cluster) == ("7/7", "2", h2, h2, "0", "100"), "the owner shows revision 2 stable");
        Assert.InRange(ownerWrites.Count, 5, 16);

        var uid = OwnerUid(cluster);
        var replicaSets = cluster.RolloutReplicaSets();
        Assert.Equal(2, replicaSets.Count);
        foreach (var rs in replicaSets)
        {
            var reference = Assert.Single(rs["metadata"]!["ownerReferences"]!.AsArray())!;
            Assert.Equal(("v1", "ConfigMap", Owner, uid), (Str(reference, "apiVersion"), Str(reference, "kind"), Str(reference, "name"), Str(reference, "uid")));
            Assert.True(reference["controller"]!.GetValue<bool>());
            Assert.True(reference["blockOwnerDeletion"]!.GetValue<bool>());
        }

        // The Deployment's own ReplicaSets stay the Deployment's, and it never took ours.
        foreach (var rs in cluster.Sim.List("replicasets", TestCluster.Namespace).Where(r => r["metadata"]!["labels"]?["rollouts-pod-template-hash"] is null))
            Assert.Equal("Deployment", rs["metadata"]!["ownerReferences"]![0]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReplicaSets_owned_by_an_argoproj_Rollout_are_adopted_without_a_new_pod_or_a_traffic_change()
    {
        var cluster = await fixture.NewClusterAsync();
        var h1 = await cluster.ApplyHealthyAsync(Manifests.FastSeedRollout());
        var h2 = await cluster.UpdateToHealthyAsync("argoproj/rollouts-demo:yellow", revision: 2);
        // Scaled down means its pod is gone too (the ReplicaSet controller deletes it after the scale): the pods compared
        // below must be the settled set, not one caught while revision 1's pod is still being removed.
        await cluster.WaitUntilAsync(() => cluster.Replicas(h1) == 0 && cluster.Weights() == (100, 0) && PodNames(cluster).All(p => !p.Contains(h1, StringComparison.Ordinal)),
            "revision 1 scaled down and its pod gone");
        var pods = PodNames(cluster);
        var before = cluster.Sim.ResourceVersion;

        // What an earlier coordinator left: no ConfigMap, ReplicaSets controlled by a Rollout uid that exists nowhere.
        // Every write of the coordinator is refused meanwhile, so it sees the state only once it is complete.
        cluster.Sim.Faults.Set(new FaultSettings { ConflictRateOnWrites = 1 });
        foreach (var rs in cluster.RolloutReplicaSets())
        {
            cluster.Sim.Patch("replicasets", TestCluster.Namespace, rs["metadata"]!["name"]!.GetValue<string>(),
                "{\"metadata\":{\"ownerReferences\":[{\"apiVersion\":\"argoproj.io/v1alpha1\",\"kind\":\"Rollout\",\"name\":\"rollouts-demo\","
                + "\"uid\":\"5b0f4f0e-0000-4000-8000-000000000001\",\"controller\":true,\"blockOwnerDeletion\":true}]}}");
        }
        cluster.Sim.Delete("configmaps", TestCluster.Namespace, Owner);
        var changes = new ConcurrentQueue<string>();
        cluster.Sim.Committed += change => changes.Enqueue($"{change.Resource}/{change.Name}");
        cluster.Sim.Faults.Clear();

        await cluster.WaitUntilAsync(() => cluster.Sim.Get("configmaps", TestCluster.Namespace, Owner) is not null
            && cluster.RolloutReplicaSets().All(rs => rs["metadata"]!["ownerReferences"]![0]!["uid"]!.GetValue<string>() == OwnerUid(cluster)),
            "the ConfigMap owns both ReplicaSets again");

        Assert.Equal(pods, PodNames(cluster));
        Assert.Equal((0, 1), (cluster.Replicas(h1), cluster.Replicas(h2)));
        Assert.Equal((h2, h2), (cluster.SelectorHash(TestCluster.StableService), cluster.SelectorHash(TestCluster.CanaryService)));
        Assert.Equal((100, 0), cluster.Weights());
        // The coordinator wrote the ConfigMap and the two ReplicaSets' metadata, nothing else (events aside).
        Assert.All(changes.Where(c => !c.StartsWith("events/", StringComparison.Ordinal)),
            c => Assert.True(c == $"configmaps/{Owner}" || c.StartsWith("replicasets/rollouts-demo-", StringComparison.Ordinal), c));
        Assert.True(cluster.Sim.ResourceVersion > before);
    }

    [Fact]
    public async Task A_failed_status_write_to_the_owner_neither_stalls_the_rollout_nor_repeats_its_events()
    {
        var cluster = await fixture.NewClusterAsync();
        await cluster.ApplyHealthyAsync(Manifests.FastSeedRollout());
        // The next two writes of the owner's status fail (one of them right after the first canary weight).
        cluster.Sim.Faults.AddScripted(new ScriptedFault("patch", "configmaps", TestCluster.Namespace, Owner, 500, Count: 2));

        var h2 = await cluster.UpdateToHealthyAsync("argoproj/rollouts-demo:yellow", revision: 2);

        await cluster.WaitUntilAsync(() => Shown(cluster) == ("7/7", "2", h2, h2, "0", "100"), "the owner catches up");
        Assert.Empty(cluster.Sim.Faults.Scripted); // both faults were hit
        await cluster.AssertEventsInOrderAsync(("RolloutStepCompleted", "Rollout step 7/7 completed (setWeight: 100)"));
        foreach (var step in Enumerable.Range(1, 7))
            Assert.Single(cluster.RolloutEvents(), e => e.Reason == "RolloutStepCompleted" && e.Message.StartsWith($"Rollout step {step}/7 ", StringComparison.Ordinal));
    }

    private static JsonNode? Data(TestCluster cluster) => cluster.Sim.Get("configmaps", TestCluster.Namespace, Owner)?["data"];

    private static (string Step, string Revision, string Current, string Stable, string Canary, string StableWeight) Shown(TestCluster cluster)
    {
        var data = Data(cluster);
        string Get(string key) => data?[key]?.GetValue<string>() ?? "";
        return (Get("step"), Get("revision"), Get("currentPodHash"), Get("stableHash"), Get("canaryWeight"), Get("stableWeight"));
    }

    private static string OwnerUid(TestCluster cluster) =>
        cluster.Sim.Get("configmaps", TestCluster.Namespace, Owner)?["metadata"]?["uid"]?.GetValue<string>() ?? "<none>";

    private static string Str(JsonNode node, string key) => node[key]!.GetValue<string>();

    private static List<string> PodNames(TestCluster cluster) =>
        [.. cluster.Sim.List("pods", TestCluster.Namespace, "rollouts-pod-template-hash").Select(p => p["metadata"]!["name"]!.GetValue<string>()).Order()];
}
