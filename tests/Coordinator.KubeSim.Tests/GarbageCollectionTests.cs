using Coordinator.KubeSim.Tests.Support;
using k8s;
using k8s.Models;

namespace Coordinator.KubeSim.Tests;

public sealed class GarbageCollectionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static async Task<string> RolledOutAsync(Kubernetes client, string name)
    {
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment(name, replicas: 2), "test");
        await Eventually.GetAsync(() => client.CoreV1.ListNamespacedPodAsync("test", labelSelector: $"app={name}"), l => l.Items.Count == 2, "two pods");
        return (await client.AppsV1.ListNamespacedReplicaSetAsync("test")).Items.Single().Metadata.Name;
    }

    [Fact]
    public async Task Deleting_a_deployment_deletes_its_replicasets_and_pods()
    {
        using var client = ServerFixture.Client(fixture.NewCluster());
        await RolledOutAsync(client, "web");

        await client.AppsV1.DeleteNamespacedDeploymentAsync("web", "test");

        await Eventually.TrueAsync(() => client.AppsV1.ListNamespacedReplicaSetAsync("test").Result.Items.Count == 0, "RS gone");
        await Eventually.TrueAsync(() => client.CoreV1.ListNamespacedPodAsync("test").Result.Items.Count == 0, "pods gone");
    }

    [Fact]
    public async Task Orphan_deletion_keeps_dependents_and_drops_their_ownerReferences()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        var rsName = await RolledOutAsync(client, "web");

        await client.AppsV1.DeleteNamespacedDeploymentAsync("web", "test", propagationPolicy: "Orphan");
        await cluster.WhenControllersIdleAsync();

        var rs = await client.AppsV1.ReadNamespacedReplicaSetAsync(rsName, "test");
        Assert.Null(rs.Metadata.OwnerReferences);
        Assert.Equal(2, (await client.CoreV1.ListNamespacedPodAsync("test")).Items.Count);
    }

    [Fact]
    public async Task Foreground_deletion_removes_dependents_too()
    {
        using var client = ServerFixture.Client(fixture.NewCluster());
        await RolledOutAsync(client, "web");
        await client.AppsV1.DeleteNamespacedDeploymentAsync("web", "test", propagationPolicy: "Foreground");
        Assert.Empty((await client.AppsV1.ListNamespacedReplicaSetAsync("test")).Items);
        Assert.Empty((await client.CoreV1.ListNamespacedPodAsync("test")).Items);
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
