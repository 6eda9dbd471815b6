using Coordinator.Testing;
using System.Text.Json.Nodes;
using Coordinator.KubeSim.Hosting;
using Coordinator.KubeSim.Tests.Support;
using k8s;
using k8s.Models;

namespace Coordinator.KubeSim.Tests;

/// <summary>
/// The background garbage collector, against what kube-controller-manager 1.24 did (shared/reference/real-apiserver/05-gc.md):
/// a dependent goes when all its owners are gone, an owner of an unserved kind keeps it, and DELETE's propagation policies.
/// </summary>
public sealed class GarbageCollectionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static async Task<string> RolledOutAsync(Kubernetes client, string name)
    {
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment(name, replicas: 2), "test");
        await Eventually.GetAsync(() => client.CoreV1.ListNamespacedPodAsync("test", labelSelector: $"app={name}"), l => l.Items.Count == 2, "two pods");
        return (await client.AppsV1.ListNamespacedReplicaSetAsync("test")).Items.Single().Metadata.Name;
    }

    private static async Task SettledAsync(SimCluster cluster)
    {
        await cluster.WhenControllersIdleAsync();
        await cluster.GarbageCollector.WaitIdleAsync();
    }

    [Fact]
    public async Task With_the_rollout_crd_installed_a_replicaset_owned_by_a_missing_rollout_is_collected()
    {
        var cluster = fixture.NewCluster();
        ArgoCrd.Install(cluster);
        cluster.Create("replicasets", "test", OwnedReplicaSets.Create("gc-test-2", ArgoCrd.ApiVersion, "Rollout", "nothere", Guid.NewGuid().ToString()));

        await SettledAsync(cluster);

        Assert.Null(cluster.Get("replicasets", "test", "gc-test-2"));
    }

    [Fact]
    public async Task The_same_replicaset_is_kept_until_the_rollout_crd_is_installed()
    {
        var cluster = fixture.NewCluster();
        cluster.Create("replicasets", "test", OwnedReplicaSets.Create("gc-test-2", ArgoCrd.ApiVersion, "Rollout", "nothere", Guid.NewGuid().ToString()));
        await SettledAsync(cluster);
        cluster.GarbageCollector.Sweep();
        await SettledAsync(cluster);
        Assert.NotNull(cluster.Get("replicasets", "test", "gc-test-2"));

        ArgoCrd.Install(cluster);
        await SettledAsync(cluster);

        Assert.Null(cluster.Get("replicasets", "test", "gc-test-2"));
    }

    [Fact]
    public async Task A_replicaset_owned_by_an_existing_configmap_is_kept_and_collected_once_the_configmap_is_deleted()
    {
        var cluster = fixture.NewCluster();
        ArgoCrd.Install(cluster);
        var owner = cluster.Create("configmaps", "test", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "gc-owner" } });
        cluster.Create("replicasets", "test", OwnedReplicaSets.Create("gc-test-1", "v1", "ConfigMap", "gc-owner", owner["metadata"]!["uid"]!.GetValue<string>()));
        await SettledAsync(cluster);
        cluster.GarbageCollector.Sweep();
        await SettledAsync(cluster);
        Assert.NotNull(cluster.Get("replicasets", "test", "gc-test-1"));

        using var client = ServerFixture.Client(cluster);
        await client.CoreV1.DeleteNamespacedConfigMapAsync("gc-owner", "test");
        await SettledAsync(cluster);

        Assert.Null(cluster.Get("replicasets", "test", "gc-test-1"));
    }

    [Fact]
    public async Task An_owner_with_the_same_name_but_another_uid_counts_as_gone()
    {
        var cluster = fixture.NewCluster();
        cluster.Create("configmaps", "test", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "gc-owner" } });
        cluster.Create("replicasets", "test", OwnedReplicaSets.Create("gc-test-1", "v1", "ConfigMap", "gc-owner", Guid.NewGuid().ToString()));

        await SettledAsync(cluster);

        Assert.Null(cluster.Get("replicasets", "test", "gc-test-1"));
        Assert.NotNull(cluster.Get("configmaps", "test", "gc-owner"));
    }

    [Fact]
    public async Task A_replicaset_owned_by_a_kind_nobody_serves_is_kept()
    {
        var cluster = fixture.NewCluster();
        ArgoCrd.Install(cluster);
        cluster.Create("replicasets", "test", OwnedReplicaSets.Create("gc-test-3", "example.com/v1", "Widget", "w", Guid.NewGuid().ToString()));
        await SettledAsync(cluster);
        cluster.GarbageCollector.Sweep();
        await SettledAsync(cluster);

        Assert.NotNull(cluster.Get("replicasets", "test", "gc-test-3"));
    }

    [Fact]
    public async Task A_dangling_reference_next_to_a_live_owner_is_removed_and_the_dependent_kept()
    {
        var cluster = fixture.NewCluster();
        var owner = cluster.Create("configmaps", "test", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "live" } });
        var rs = OwnedReplicaSets.Create("two-owners", "v1", "ConfigMap", "gone", Guid.NewGuid().ToString());
        rs["metadata"]!["ownerReferences"]!.AsArray().Add(new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["name"] = "live", ["uid"] = owner["metadata"]!["uid"]!.GetValue<string>(),
        });
        cluster.Create("replicasets", "test", rs);

        await SettledAsync(cluster);

        var refs = cluster.Get("replicasets", "test", "two-owners")!["metadata"]!["ownerReferences"]!.AsArray();
        Assert.Equal(["live"], refs.Select(r => r!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Background_deletion_removes_the_owner_at_once_and_the_collector_its_replicasets_and_pods()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        await RolledOutAsync(client, "web");

        await client.AppsV1.DeleteNamespacedDeploymentAsync("web", "test");
        Assert.Null(cluster.Get("deployments", "test", "web"));
        await SettledAsync(cluster);

        Assert.Empty((await client.AppsV1.ListNamespacedReplicaSetAsync("test")).Items);
        Assert.Empty((await client.CoreV1.ListNamespacedPodAsync("test")).Items);
    }

    [Fact]
    public async Task Orphan_deletion_keeps_dependents_and_drops_their_ownerReferences()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        var rsName = await RolledOutAsync(client, "web");

        await client.AppsV1.DeleteNamespacedDeploymentAsync("web", "test", propagationPolicy: "Orphan");
        await SettledAsync(cluster);

        var rs = await client.AppsV1.ReadNamespacedReplicaSetAsync(rsName, "test");
        Assert.Null(rs.Metadata.OwnerReferences);
        Assert.Equal(2, (await client.CoreV1.ListNamespacedPodAsync("test")).Items.Count);
    }

    [Fact]
    public async Task Foreground_deletion_keeps_the_owner_with_a_finalizer_until_its_blocking_dependents_are_gone()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        var rsName = await RolledOutAsync(client, "web");
        // A finalizer of someone else's holds the ReplicaSet, so the Deployment must wait in foreground deletion.
        await client.AppsV1.PatchNamespacedReplicaSetAsync(new V1Patch("""{"metadata":{"finalizers":["example.com/hold"]}}""", V1Patch.PatchType.MergePatch), rsName, "test");

        await client.AppsV1.DeleteNamespacedDeploymentAsync("web", "test", propagationPolicy: "Foreground");
        await SettledAsync(cluster);

        var waiting = await client.AppsV1.ReadNamespacedDeploymentAsync("web", "test");
        Assert.NotNull(waiting.Metadata.DeletionTimestamp);
        Assert.Equal(["foregroundDeletion"], waiting.Metadata.Finalizers);
        Assert.NotNull((await client.AppsV1.ReadNamespacedReplicaSetAsync(rsName, "test")).Metadata.DeletionTimestamp);

        await client.AppsV1.PatchNamespacedReplicaSetAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), rsName, "test");
        await SettledAsync(cluster);

        Assert.Null(cluster.Get("deployments", "test", "web"));
        Assert.Empty(cluster.List("replicasets", "test"));
        Assert.Empty(cluster.List("pods", "test"));
    }

    [Fact]
    public async Task Deleting_a_namespace_deletes_everything_in_it()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        await RolledOutAsync(client, "web");
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("svc", new() { ["app"] = "web" }), "test");

        await client.CoreV1.DeleteNamespaceAsync("test");

        Assert.Empty((await client.AppsV1.ListDeploymentForAllNamespacesAsync()).Items);
        Assert.Empty((await client.CoreV1.ListServiceForAllNamespacesAsync()).Items);
        Assert.Null(cluster.Get("namespaces", null, "test"));
    }
}
