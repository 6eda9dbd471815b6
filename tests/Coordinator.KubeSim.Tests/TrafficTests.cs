using Coordinator.KubeSim.Patching;
using Coordinator.KubeSim.Tests.Support;

namespace Coordinator.KubeSim.Tests;

public sealed class TrafficTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Seed_sends_all_traffic_to_blue()
    {
        var cluster = fixture.NewCluster("traffic", withTestNamespace: false);
        cluster.LoadSeed();

        var snapshot = await Eventually.GetAsync(() => cluster.Traffic("test", "rollouts-demo.local"), t => t.ErrorShare == 0, "blue pod ready");

        Assert.Equal(1.0, snapshot.ShareOf("argoproj/rollouts-demo:blue"), 6);
        Assert.Single(snapshot.ShareByImage);
    }

    [Fact]
    public async Task Weighted_destination_without_ready_pods_counts_as_errors()
    {
        var cluster = fixture.NewCluster("traffic", withTestNamespace: false);
        cluster.LoadSeed();
        await Eventually.GetAsync(() => cluster.Traffic("test", "rollouts-demo.local"), t => t.ErrorShare == 0, "blue pod ready");

        cluster.Patch("services", "test", "rollouts-demo-canary", """{"spec":{"selector":{"rollouts-pod-template-hash":"nothing"}}}""");
        cluster.Patch("virtualservices", "test", "rollouts-demo",
            """[{"op":"replace","path":"/spec/http/0/route/0/weight","value":80},{"op":"replace","path":"/spec/http/0/route/1/weight","value":20}]""", PatchKind.Json);

        var snapshot = cluster.Traffic("test", "rollouts-demo.local");
        Assert.Equal(0.8, snapshot.ShareOf("argoproj/rollouts-demo:blue"), 6);
        Assert.Equal(0.2, snapshot.ErrorShare, 6);
    }

    [Fact]
    public async Task Unknown_host_is_all_errors_and_the_admin_endpoint_serves_the_view()
    {
        var cluster = fixture.NewCluster("traffic", withTestNamespace: false);
        cluster.LoadSeed();
        Assert.Equal(1.0, cluster.Traffic("test", "nobody.local").ErrorShare);

        await Eventually.GetAsync(() => cluster.Traffic("test", "rollouts-demo.local"), t => t.ErrorShare == 0, "blue pod ready");
        using var http = new HttpClient();
        var json = await http.GetStringAsync($"{fixture.Server.BaseUrl}/_kubesim/clusters/{cluster.Name}/traffic?namespace=test&host=rollouts-demo.local");
        Assert.Contains("\"argoproj/rollouts-demo:blue\":1", json);
        Assert.Contains("\"errorShare\":0", json);
    }
}
