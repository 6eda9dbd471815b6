using System.Net;
using Coordinator.KubeSim.Tests.Support;
using k8s;
using k8s.Autorest;

namespace Coordinator.KubeSim.Tests;

public sealed class ClientReadTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Client_keeps_the_cluster_path_prefix_and_gets_an_object()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("web", new() { ["app"] = "web" }), "test");

        var svc = await client.CoreV1.ReadNamespacedServiceAsync("web", "test");

        Assert.Equal("web", svc.Metadata.Name);
        Assert.Equal("ClusterIP", svc.Spec.Type);
        Assert.StartsWith("10.", svc.Spec.ClusterIP);
        Assert.NotNull(cluster.Get("svc", "test", "web"));
    }

    [Fact]
    public async Task Get_of_a_missing_object_is_a_404_Status()
    {
        using var client = ServerFixture.Client(fixture.NewCluster());
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.AppsV1.ReadNamespacedDeploymentAsync("nope", "test"));
        Assert.Equal(HttpStatusCode.NotFound, e.Response.StatusCode);
        Assert.Contains("\"reason\":\"NotFound\"", e.Response.Content);
        Assert.Contains("deployments.apps \\\"nope\\\" not found", e.Response.Content);
    }

    [Theory]
    [InlineData("tier=web", "a,b")]
    [InlineData("tier==web", "a,b")]
    [InlineData("tier!=web", "c,d")]
    [InlineData("tier in (web,db)", "a,b,c")]
    [InlineData("tier notin (web)", "c,d")]
    [InlineData("track", "a")]
    [InlineData("!track", "b,c,d")]
    [InlineData("tier=web,track=canary", "a")]
    public async Task List_filters_by_label_selector(string selector, string expected)
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        await client.CoreV1.CreateNamespacedServiceAsync(Models.LabelledService("a", new() { ["tier"] = "web", ["track"] = "canary" }), "test");
        await client.CoreV1.CreateNamespacedServiceAsync(Models.LabelledService("b", new() { ["tier"] = "web" }), "test");
        await client.CoreV1.CreateNamespacedServiceAsync(Models.LabelledService("c", new() { ["tier"] = "db" }), "test");
        await client.CoreV1.CreateNamespacedServiceAsync(Models.LabelledService("d", new() { ["other"] = "x" }), "test");

        var list = await client.CoreV1.ListNamespacedServiceAsync("test", labelSelector: selector);

        Assert.Equal(expected, string.Join(",", list.Items.Select(s => s.Metadata.Name)));
        Assert.False(string.IsNullOrEmpty(list.Metadata.ResourceVersion));
    }

    [Theory]
    [InlineData("metadata.name=b", "b")]
    [InlineData("metadata.name!=b", "a,c")]
    public async Task List_filters_by_name_field_selector(string selector, string expected)
    {
        using var client = ServerFixture.Client(fixture.NewCluster());
        foreach (var n in new[] { "a", "b", "c" })
            await client.CoreV1.CreateNamespacedServiceAsync(Models.LabelledService(n, new() { ["x"] = "y" }), "test");

        var list = await client.CoreV1.ListNamespacedServiceAsync("test", fieldSelector: selector);

        Assert.Equal(expected, string.Join(",", list.Items.Select(s => s.Metadata.Name)));
    }

    [Fact]
    public async Task List_across_all_namespaces()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        await client.CoreV1.CreateNamespaceAsync(new k8s.Models.V1Namespace { Metadata = new() { Name = "other" } });
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("one"), "test");
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("two"), "other");

        var all = await client.AppsV1.ListDeploymentForAllNamespacesAsync();

        Assert.Equal(["other/two", "test/one"], all.Items.Select(d => $"{d.Metadata.NamespaceProperty}/{d.Metadata.Name}").ToArray());
    }

    [Fact]
    public async Task Unknown_resource_paths_answer_404()
    {
        var cluster = fixture.NewCluster();
        using var http = new HttpClient();
        var response = await http.GetAsync(cluster.ServerUrl + "/apis/apps/v1/namespaces/test/statefulsets");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("\"kind\":\"Status\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Version_and_discovery_are_served()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        var version = await client.Version.GetCodeAsync();
        Assert.Equal("32", version.Minor);
        var core = await client.CoreV1.GetAPIResourcesAsync();
        Assert.Contains(core.Resources, r => r.Name == "services" && r.ShortNames.Contains("svc"));
        var apps = await client.AppsV1.GetAPIResourcesAsync();
        Assert.Contains(apps.Resources, r => r.Name == "deployments/scale" && r.Kind == "Scale");
    }
}
