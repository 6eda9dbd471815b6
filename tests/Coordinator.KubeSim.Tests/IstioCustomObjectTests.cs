using System.Text.Json;
using Coordinator.KubeSim.Tests.Support;
using k8s;
using k8s.Models;

namespace Coordinator.KubeSim.Tests;

public sealed class IstioCustomObjectTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Group = "networking.istio.io";

    [Fact]
    public async Task One_virtualservice_is_served_under_v1alpha3_v1beta1_and_v1()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        var body = JsonDocument.Parse("""
            {"apiVersion":"networking.istio.io/v1alpha3","kind":"VirtualService","metadata":{"name":"vs"},
             "spec":{"hosts":["h.local"],"http":[{"name":"primary","route":[{"destination":{"host":"a"},"weight":100},{"destination":{"host":"b"},"weight":0}]}]}}
            """).RootElement;
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(body, Group, "v1alpha3", "test", "virtualservices");

        await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(
            """[{"op":"replace","path":"/spec/http/0/route/0/weight","value":80},{"op":"replace","path":"/spec/http/0/route/1/weight","value":20}]""",
            V1Patch.PatchType.JsonPatch), Group, "v1beta1", "test", "virtualservices", "vs");

        foreach (var version in new[] { "v1alpha3", "v1beta1", "v1" })
        {
            var vs = await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(Group, version, "test", "virtualservices", "vs");
            Assert.Equal($"{Group}/{version}", vs.GetProperty("apiVersion").GetString());
            Assert.Equal(20, vs.GetProperty("spec").GetProperty("http")[0].GetProperty("route")[1].GetProperty("weight").GetInt32());
            var list = await client.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(Group, version, "test", "virtualservices");
            Assert.Equal(1, list.GetProperty("items").GetArrayLength());
            Assert.Equal($"{Group}/{version}", list.GetProperty("items")[0].GetProperty("apiVersion").GetString());
        }
        Assert.Single(cluster.List("virtualservices", "test"));

        await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch("""{"spec":{"gateways":["gw"]}}""", V1Patch.PatchType.MergePatch),
            Group, "v1", "test", "virtualservices", "vs");
        Assert.Equal("gw", cluster.Get("vs", "test", "vs")!["spec"]!["gateways"]![0]!.GetValue<string>());
        Assert.Equal(3, cluster.Get("vs", "test", "vs")!["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task Destinationrules_are_served_and_deletable()
    {
        using var client = ServerFixture.Client(fixture.NewCluster());
        var body = JsonDocument.Parse("""{"apiVersion":"networking.istio.io/v1","kind":"DestinationRule","metadata":{"name":"dr"},"spec":{"host":"a"}}""").RootElement;
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(body, Group, "v1", "test", "destinationrules");
        var got = await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(Group, "v1alpha3", "test", "destinationrules", "dr");
        Assert.Equal("a", got.GetProperty("spec").GetProperty("host").GetString());
        await client.CustomObjects.DeleteNamespacedCustomObjectAsync(Group, "v1beta1", "test", "destinationrules", "dr");
        var list = await client.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(Group, "v1", "test", "destinationrules");
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }
}
