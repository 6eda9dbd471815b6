using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Coordinator.KubeSim.Tests.Support;
using k8s;
using k8s.Models;

namespace Coordinator.KubeSim.Tests;

/// <summary>
/// metadata.generation, defaulting and validation on updates, as the apiserver does them: only a spec change raises the
/// generation, and a write whose spec comes back unchanged keeps it exactly (defaults included).
/// </summary>
public sealed class GenerationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Metadata_patches_keep_the_generation_and_a_spec_patch_raises_it()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web"), "test");
        var spec = Spec(cluster);

        var annotated = await client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"metadata":{"annotations":{"note":"a"}}}""", V1Patch.PatchType.MergePatch), "web", "test");
        Assert.Equal(1, annotated.Metadata.Generation);
        Assert.Equal("a", annotated.Metadata.Annotations["note"]);
        Assert.Equal(spec, Spec(cluster));

        var scaled = await client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"replicas":3}}""", V1Patch.PatchType.MergePatch), "web", "test");
        Assert.Equal(2, scaled.Metadata.Generation);

        var again = await client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"metadata":{"annotations":{"note":"b"}}}""", V1Patch.PatchType.MergePatch), "web", "test");
        Assert.Equal(2, again.Metadata.Generation);
        Assert.Equal(3, again.Spec.Replicas);
    }

    [Fact]
    public async Task A_replace_with_the_same_spec_in_another_key_order_keeps_the_generation()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web"), "test");

        var replaced = await ReplaceAsync(cluster, stored =>
        {
            var reversed = new JsonObject();
            foreach (var (key, value) in stored["spec"]!.AsObject().Reverse()) reversed[key] = value?.DeepClone();
            stored["spec"] = reversed;
        });

        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal(1, cluster.Get("deployments", "test", "web")!["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_replace_without_defaults_gets_them_back_and_an_invalid_spec_is_still_refused()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web"), "test");

        var replaced = await ReplaceAsync(cluster, stored =>
        {
            stored["spec"]!.AsObject().Remove("strategy");
            stored["spec"]!["template"]!["spec"]!.AsObject().Remove("dnsPolicy");
        });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var defaulted = await client.AppsV1.ReadNamespacedDeploymentAsync("web", "test");
        Assert.Equal("RollingUpdate", defaulted.Spec.Strategy.Type);
        Assert.Equal("ClusterFirst", defaulted.Spec.Template.Spec.DnsPolicy);

        var refused = await ReplaceAsync(cluster, mismatch =>
            mismatch["spec"]!["template"]!["metadata"]!["labels"] = new JsonObject { ["app"] = "other" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("spec.template.metadata.labels: Invalid value", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Status_writes_keep_the_generation_and_the_spec()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web"), "test");
        var spec = Spec(cluster);

        var status = await client.AppsV1.PatchNamespacedDeploymentStatusAsync(
            new V1Patch("""{"status":{"conditions":[{"type":"Progressing","status":"True","reason":"Test"}]}}""", V1Patch.PatchType.MergePatch), "web", "test");

        Assert.Equal(1, status.Metadata.Generation);
        Assert.Contains(status.Status.Conditions, c => c.Reason == "Test");
        Assert.Equal(spec, Spec(cluster));
    }

    private static string Spec(Coordinator.KubeSim.Hosting.SimCluster cluster) =>
        cluster.Get("deployments", "test", "web")!["spec"]!.ToJsonString();

    /// <summary>
    /// Read, change, replace: again on 409, as a client does. The controllers keep writing the Deployment's status
    /// while its pods turn ready (after the readiness delay, so no idle point can be awaited), and each write bumps the
    /// resourceVersion the replace carries.
    /// </summary>
    private static async Task<HttpResponseMessage> ReplaceAsync(Coordinator.KubeSim.Hosting.SimCluster cluster, Action<JsonObject> change)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = cluster.Get("deployments", "test", "web")!;
            change(stored);
            var response = await PutAsync(cluster, stored);
            if (response.StatusCode != HttpStatusCode.Conflict || attempt == 20) return response;
            response.Dispose();
        }
    }

    private static async Task<HttpResponseMessage> PutAsync(Coordinator.KubeSim.Hosting.SimCluster cluster, JsonObject deployment)
    {
        using var http = new HttpClient();
        return await http.PutAsync($"{cluster.ServerUrl}/apis/apps/v1/namespaces/test/deployments/web",
            new StringContent(deployment.ToJsonString(), Encoding.UTF8, "application/json"));
    }
}
