using System.Net;
using Coordinator.KubeSim.Tests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Coordinator.KubeSim.Tests;

/// <summary>The pods/eviction subresource: an Eviction deletes the pod and the ReplicaSet controller replaces it.</summary>
public sealed class EvictionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task An_eviction_deletes_the_pod_and_its_replicaset_creates_a_replacement()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web"), "test");
        await cluster.WhenControllersIdleAsync();
        var pod = Assert.Single((await client.CoreV1.ListNamespacedPodAsync("test")).Items);

        var eviction = new V1Eviction { ApiVersion = "policy/v1", Kind = "Eviction", Metadata = new V1ObjectMeta { Name = pod.Metadata.Name, NamespaceProperty = "test" } };
        var response = await client.CoreV1.CreateNamespacedPodEvictionWithHttpMessagesAsync(eviction, pod.Metadata.Name, "test");

        Assert.Equal(HttpStatusCode.Created, response.Response.StatusCode);
        await cluster.WhenControllersIdleAsync();
        var replacement = Assert.Single((await client.CoreV1.ListNamespacedPodAsync("test")).Items);
        Assert.NotEqual(pod.Metadata.Name, replacement.Metadata.Name);

        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedPodEvictionAsync(eviction, pod.Metadata.Name, "test"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
    }
}
