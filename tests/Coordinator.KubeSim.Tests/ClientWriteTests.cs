using System.Net;
using Coordinator.KubeSim.Tests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Coordinator.KubeSim.Tests;

public sealed class ClientWriteTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Create_derives_apiVersion_and_kind_and_sets_server_fields()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);

        var created = await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web"), "test");

        Assert.Equal("apps/v1", created.ApiVersion);
        Assert.Equal("Deployment", created.Kind);
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.Equal(1, created.Metadata.Generation);
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.True(long.Parse(created.Metadata.ResourceVersion) > 0);
    }

    [Fact]
    public async Task Create_with_generateName_appends_five_safe_characters()
    {
        using var client = ServerFixture.Client(fixture.NewCluster());
        var svc = Models.Service("", new() { ["app"] = "x" });
        svc.Metadata.Name = null;
        svc.Metadata.GenerateName = "web-";

        var created = await client.CoreV1.CreateNamespacedServiceAsync(svc, "test");

        Assert.Matches("^web-[bcdfghjklmnpqrstvwxz2456789]{5}$", created.Metadata.Name);
    }

    [Fact]
    public async Task Create_of_an_existing_name_is_409_AlreadyExists()
    {
        using var client = ServerFixture.Client(fixture.NewCluster());
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web"), "test");

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web"), "test"));

        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
        Assert.Contains("\"reason\":\"AlreadyExists\"", e.Response.Content);
    }

    [Fact]
    public async Task Create_validates_selector_and_names_like_the_apiserver()
    {
        using var client = ServerFixture.Client(fixture.NewCluster());
        var mismatch = Models.Deployment("x");
        mismatch.Spec.Template.Metadata.Labels = new Dictionary<string, string> { ["app"] = "y" };
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.AppsV1.CreateNamespacedDeploymentAsync(mismatch, "test"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, e.Response.StatusCode);
        Assert.Contains("Deployment.apps \\\"x\\\" is invalid: spec.template.metadata.labels: Invalid value", e.Response.Content);
        Assert.Contains("selector", e.Response.Content);

        var badName = await Assert.ThrowsAsync<HttpOperationException>(() => client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("Bad_Name"), "test"));
        Assert.Contains("metadata.name: Invalid value", badName.Response.Content);

        var noName = Models.Deployment("x");
        noName.Metadata.Name = null;
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => client.AppsV1.CreateNamespacedDeploymentAsync(noName, "test"));
        Assert.Contains("metadata.name: Required value", missing.Response.Content);
        Assert.Contains("\"reason\":\"Invalid\"", missing.Response.Content);
    }

    [Fact]
    public async Task Update_with_a_stale_resourceVersion_is_409_Conflict()
    {
        using var client = ServerFixture.Client(fixture.NewCluster());
        // A Service: no controller writes to it, so only our own update makes the copy stale.
        var created = await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("web", new() { ["app"] = "web" }), "test");
        created.Metadata.Labels = new Dictionary<string, string> { ["v"] = "1" };
        await client.CoreV1.ReplaceNamespacedServiceAsync(created, "web", "test");

        created.Metadata.Labels["v"] = "2"; // still carries the old resourceVersion
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReplaceNamespacedServiceAsync(created, "web", "test"));

        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
        Assert.Contains("\"reason\":\"Conflict\"", e.Response.Content);
        Assert.Contains("""Operation cannot be fulfilled on services \"web\": the object has been modified; please apply your changes to the latest version and try again""", e.Response.Content);
    }

    [Fact]
    public async Task Update_of_a_deployment_with_a_stale_resourceVersion_names_deployments_apps()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        var created = await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web"), "test");
        await Eventually.TrueAsync(() => (string?)cluster.Get("deploy", "test", "web")!["metadata"]!["resourceVersion"] != created.Metadata.ResourceVersion,
            "the controller's status write");

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.AppsV1.ReplaceNamespacedDeploymentAsync(created, "web", "test"));

        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
        Assert.Contains("""Operation cannot be fulfilled on deployments.apps \"web\": the object has been modified""", e.Response.Content);
    }

    [Fact]
    public async Task Generation_bumps_only_on_spec_changes()
    {
        using var client = ServerFixture.Client(fixture.NewCluster());
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web"), "test");

        var labelled = await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"metadata":{"labels":{"a":"b"}}}""", V1Patch.PatchType.MergePatch), "web", "test");
        Assert.Equal(1, labelled.Metadata.Generation);
        var status = await client.AppsV1.PatchNamespacedDeploymentStatusAsync(new V1Patch("""{"status":{"replicas":7}}""", V1Patch.PatchType.MergePatch), "web", "test");
        Assert.Equal(1, status.Metadata.Generation);
        var scaled = await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"replicas":4}}""", V1Patch.PatchType.MergePatch), "web", "test");
        Assert.Equal(2, scaled.Metadata.Generation);
    }

    [Fact]
    public async Task Status_subresource_changes_only_status_and_main_resource_ignores_status()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        var rs = new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta { Name = "rs" },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = 0,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "rs" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "rs" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "i" }] },
                },
            },
        };
        await client.AppsV1.CreateNamespacedReplicaSetAsync(rs, "test");

        var viaStatus = await client.AppsV1.PatchNamespacedReplicaSetStatusAsync(
            new V1Patch("""{"spec":{"replicas":5},"status":{"replicas":0,"observedGeneration":42}}""", V1Patch.PatchType.MergePatch), "rs", "test");
        Assert.Equal(0, viaStatus.Spec.Replicas);
        Assert.Equal(42, viaStatus.Status.ObservedGeneration);

        var viaMain = await client.AppsV1.PatchNamespacedReplicaSetAsync(
            new V1Patch("""{"status":{"observedGeneration":1000}}""", V1Patch.PatchType.MergePatch), "rs", "test");
        Assert.NotEqual(1000, viaMain.Status?.ObservedGeneration);
    }

    [Fact]
    public async Task Scale_subresource_reads_and_writes_replicas()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", replicas: 2), "test");

        var scale = await client.AppsV1.ReadNamespacedDeploymentScaleAsync("web", "test");
        Assert.Equal(2, scale.Spec.Replicas);
        Assert.Equal("autoscaling/v1", scale.ApiVersion);

        await client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("""{"spec":{"replicas":5}}""", V1Patch.PatchType.MergePatch), "web", "test");
        Assert.Equal(5, (await client.AppsV1.ReadNamespacedDeploymentAsync("web", "test")).Spec.Replicas);

        scale = await client.AppsV1.ReadNamespacedDeploymentScaleAsync("web", "test");
        scale.Spec.Replicas = 1;
        scale.Metadata.ResourceVersion = null; // unconditional: the controller keeps writing the deployment status
        await client.AppsV1.ReplaceNamespacedDeploymentScaleAsync(scale, "web", "test");
        Assert.Equal(1, (await client.AppsV1.ReadNamespacedDeploymentAsync("web", "test")).Spec.Replicas);
    }

    [Fact]
    public async Task Resource_versions_grow_monotonically_per_cluster()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        var a = await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("a", new() { ["x"] = "y" }), "test");
        var b = await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("b"), "test");
        Assert.True(long.Parse(b.Metadata.ResourceVersion) > long.Parse(a.Metadata.ResourceVersion));
        Assert.True(cluster.ResourceVersion >= long.Parse(b.Metadata.ResourceVersion));
    }
}
