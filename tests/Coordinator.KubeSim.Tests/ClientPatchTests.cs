using System.Net;
using System.Text.Json;
using Coordinator.KubeSim.Tests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Coordinator.KubeSim.Tests;

public sealed class ClientPatchTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Merge_patch_merges_maps_and_null_deletes()
    {
        using var client = ServerFixture.Client(fixture.NewCluster());
        var svc = Models.Service("web", new() { ["app"] = "web", ["track"] = "stable" });
        await client.CoreV1.CreateNamespacedServiceAsync(svc, "test");

        var patched = await client.CoreV1.PatchNamespacedServiceAsync(
            new V1Patch(new { spec = new { selector = new Dictionary<string, string?> { ["track"] = null, ["hash"] = "abc" } } }, V1Patch.PatchType.MergePatch), "web", "test");

        Assert.Equal(new Dictionary<string, string> { ["app"] = "web", ["hash"] = "abc" }, patched.Spec.Selector);
    }

    [Fact]
    public async Task Strategic_merge_patch_as_kubectl_set_image_sends_it()
    {
        using var client = ServerFixture.Client(fixture.NewCluster());
        var d = Models.Deployment("web", image: "img:1", container: "c");
        d.Spec.Template.Spec.Containers.Add(new V1Container { Name = "side", Image = "side:1" });
        await client.AppsV1.CreateNamespacedDeploymentAsync(d, "test");

        var patched = await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(
            """{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"side"}],"containers":[{"image":"img:2","name":"c"}]}}}}""",
            V1Patch.PatchType.StrategicMergePatch), "web", "test");

        var containers = patched.Spec.Template.Spec.Containers;
        Assert.Equal(["c", "side"], containers.Select(c => c.Name).ToArray());
        Assert.Equal(["img:2", "side:1"], containers.Select(c => c.Image).ToArray());
        Assert.Equal(2, patched.Metadata.Generation);
    }

    [Fact]
    public async Task Strategic_merge_patch_with_the_exact_body_of_kubectl_set_image()
    {
        using var client = ServerFixture.Client(fixture.NewCluster());
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", image: "img:1", container: "c"), "test");

        var patched = await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(
            """{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"c"}],"containers":[{"image":"img:2","name":"c"}]}}}}""",
            V1Patch.PatchType.StrategicMergePatch), "web", "test");

        Assert.Equal("img:2", Assert.Single(patched.Spec.Template.Spec.Containers).Image);
    }

    [Fact]
    public async Task Strategic_merge_patch_deletes_list_elements_by_merge_key()
    {
        using var client = ServerFixture.Client(fixture.NewCluster());
        var d = Models.Deployment("web");
        d.Spec.Template.Spec.Containers[0].Env = [new V1EnvVar { Name = "A", Value = "1" }, new V1EnvVar { Name = "B", Value = "2" }];
        await client.AppsV1.CreateNamespacedDeploymentAsync(d, "test");

        var patched = await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(
            """{"spec":{"template":{"spec":{"containers":[{"name":"c","env":[{"name":"A","$patch":"delete"},{"name":"C","value":"3"}]}]}}}}""",
            V1Patch.PatchType.StrategicMergePatch), "web", "test");

        Assert.Equal(["B", "C"], patched.Spec.Template.Spec.Containers[0].Env.Select(e => e.Name).ToArray());
    }

    [Fact]
    public async Task Json_patch_applies_operations_and_a_failed_test_is_422()
    {
        using var client = ServerFixture.Client(fixture.NewCluster());
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", replicas: 1), "test");

        var patched = await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(
            """[{"op":"test","path":"/spec/replicas","value":1},{"op":"replace","path":"/spec/replicas","value":3},{"op":"add","path":"/metadata/labels","value":{"a":"b"}},{"op":"copy","from":"/metadata/labels/a","path":"/metadata/labels/c"},{"op":"move","from":"/metadata/labels/a","path":"/metadata/labels/m"},{"op":"remove","path":"/metadata/labels/c"}]""",
            V1Patch.PatchType.JsonPatch), "web", "test");
        Assert.Equal(3, patched.Spec.Replicas);
        Assert.Equal(new Dictionary<string, string> { ["m"] = "b" }, patched.Metadata.Labels);

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(
            """[{"op":"test","path":"/spec/replicas","value":1},{"op":"replace","path":"/spec/replicas","value":9}]""", V1Patch.PatchType.JsonPatch), "web", "test"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, e.Response.StatusCode);
        Assert.Equal(3, (await client.AppsV1.ReadNamespacedDeploymentAsync("web", "test")).Spec.Replicas);
    }

    [Fact]
    public async Task Patch_carrying_a_stale_resourceVersion_is_a_409()
    {
        using var client = ServerFixture.Client(fixture.NewCluster());
        // A Service: no controller writes to it between our patches.
        var created = await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("web", new() { ["app"] = "web" }), "test");
        var rv = created.Metadata.ResourceVersion;
        await client.CoreV1.PatchNamespacedServiceAsync(new V1Patch("{\"metadata\":{\"resourceVersion\":\"" + rv + "\",\"labels\":{\"a\":\"1\"}}}", V1Patch.PatchType.MergePatch), "web", "test");

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.PatchNamespacedServiceAsync(
            new V1Patch("{\"metadata\":{\"resourceVersion\":\"" + rv + "\",\"labels\":{\"a\":\"2\"}}}", V1Patch.PatchType.MergePatch), "web", "test"));
        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
    }

    [Fact]
    public async Task Server_side_apply_merges_the_applied_fields_and_creates_missing_objects()
    {
        using var client = ServerFixture.Client(fixture.NewCluster());
        var applied = await client.CoreV1.PatchNamespacedServiceAsync(new V1Patch(
            """{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"selector":{"app":"web"},"ports":[{"port":80}]}}""",
            V1Patch.PatchType.ApplyPatch), "web", "test", fieldManager: "test", force: true);
        Assert.Equal("web", applied.Spec.Selector["app"]);

        var again = await client.CoreV1.PatchNamespacedServiceAsync(new V1Patch(
            """{"apiVersion":"v1","kind":"Service","metadata":{"name":"web","labels":{"l":"v"}}}""",
            V1Patch.PatchType.ApplyPatch), "web", "test", fieldManager: "test", force: true);
        Assert.Equal("v", again.Metadata.Labels["l"]);
        Assert.Equal(applied.Spec.ClusterIP, again.Spec.ClusterIP);
    }

    [Fact]
    public async Task Strategic_merge_patch_on_a_custom_resource_is_415()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(
            JsonDocument.Parse("""{"apiVersion":"networking.istio.io/v1","kind":"VirtualService","metadata":{"name":"vs"},"spec":{"hosts":["h"]}}""").RootElement,
            "networking.istio.io", "v1", "test", "virtualservices");

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"hosts":["x"]}}""", V1Patch.PatchType.StrategicMergePatch), "networking.istio.io", "v1", "test", "virtualservices", "vs"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, e.Response.StatusCode);
    }
}
