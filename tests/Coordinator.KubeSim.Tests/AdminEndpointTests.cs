using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Coordinator.KubeSim.Faults;
using Coordinator.KubeSim.Tests.Support;

namespace Coordinator.KubeSim.Tests;

public sealed class AdminEndpointTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    [Fact]
    public async Task Faults_can_be_put_read_and_deleted_over_http()
    {
        var cluster = fixture.NewCluster();
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseUrl) };
        var url = $"/_kubesim/clusters/{cluster.Name}/faults";

        var put = await http.PutAsync(url, Json("""
            {"latencyMs":5,"errorRate503":0.5,"seed":3,"unreachable":"none",
             "scripted":[{"verb":"patch","resource":"deployments","namespace":"test","name":"rollouts-demo","statusCode":500,"count":2}]}
            """));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(0.5, cluster.Faults.Settings.ErrorRate503);
        Assert.Equal(TimeSpan.FromMilliseconds(5), cluster.Faults.Settings.Latency);
        Assert.Equal(new ScriptedFault("patch", "deployments", "test", "rollouts-demo", 500, 2), Assert.Single(cluster.Faults.Scripted));

        var got = await http.GetFromJsonAsync<JsonElement>(url);
        Assert.Equal(0.5, got.GetProperty("errorRate503").GetDouble());
        Assert.Equal(2, got.GetProperty("scripted")[0].GetProperty("count").GetInt32());

        Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync(url)).StatusCode);
        Assert.Equal(FaultSettings.None, cluster.Faults.Settings);
        Assert.Empty(cluster.Faults.Scripted);
    }

    [Fact]
    public async Task Bad_fault_json_is_a_400()
    {
        var cluster = fixture.NewCluster();
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseUrl) };
        var put = await http.PutAsync($"/_kubesim/clusters/{cluster.Name}/faults", Json("""{"unreachable":"sometimes"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
    }

    [Fact]
    public async Task Clusters_can_be_listed_added_and_seeded_over_http()
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseUrl) };
        var added = await http.PostAsync("/_kubesim/clusters/admin-added", null);
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/_kubesim/clusters/admin-added/seed", null)).StatusCode);

        var list = await http.GetFromJsonAsync<JsonElement>("/_kubesim/clusters");
        Assert.Contains(list.GetProperty("clusters").EnumerateArray(), c => c.GetProperty("name").GetString() == "admin-added"
            && c.GetProperty("server").GetString() == $"{fixture.Server.BaseUrl}/clusters/admin-added");
        Assert.NotNull(fixture.Server["admin-added"].Get("deploy", "test", "rollouts-demo"));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/_kubesim/clusters/nope/faults")).StatusCode);
    }

    [Fact]
    public async Task Stats_count_the_watch_streams_that_are_open()
    {
        var cluster = fixture.NewCluster();
        using var http = new HttpClient { BaseAddress = new Uri(fixture.Server.BaseUrl) };
        var before = await http.GetFromJsonAsync<JsonElement>("/_kubesim/stats");
        Assert.Equal(fixture.Server.Clusters.Count, before.GetProperty("clusters").GetInt32());

        // The watch is registered before its response headers are sent.
        using (var watch = await http.GetAsync($"/clusters/{cluster.Name}/apis/apps/v1/namespaces/test/deployments?watch=true",
                   HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, watch.StatusCode);
            var open = await http.GetFromJsonAsync<JsonElement>("/_kubesim/stats");
            Assert.Equal(before.GetProperty("openWatches").GetInt32() + 1, open.GetProperty("openWatches").GetInt32());
            Assert.Equal(Watching(before, "deployments.apps") + 1, Watching(open, "deployments.apps"));
        }

        // The client went away: the server notices the aborted stream on its own schedule.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        JsonElement after;
        do after = await http.GetFromJsonAsync<JsonElement>("/_kubesim/stats");
        while (after.GetProperty("openWatches").GetInt32() != before.GetProperty("openWatches").GetInt32() && DateTime.UtcNow < deadline);
        Assert.Equal(before.GetProperty("openWatches").GetInt32(), after.GetProperty("openWatches").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/_kubesim/stats", null)).StatusCode);
    }

    private static int Watching(JsonElement stats, string resource) =>
        stats.GetProperty("openWatchesByResource").TryGetProperty(resource, out var n) ? n.GetInt32() : 0;

    [Fact]
    public void Kubeconfig_has_one_context_per_cluster_with_a_token()
    {
        fixture.NewCluster();
        var yaml = fixture.Server.BuildKubeconfig();
        foreach (var c in fixture.Server.Clusters)
        {
            Assert.Contains($"server: {c.ServerUrl}", yaml);
            Assert.Contains($"- name: {c.Name}\n  context:\n    cluster: {c.Name}", yaml.ReplaceLineEndings("\n"));
        }
        Assert.Contains("token: kubesim", yaml);
        var path = Path.Combine(Path.GetTempPath(), $"kubesim-{Guid.NewGuid():N}.yaml");
        fixture.Server.WriteKubeconfig(path);
        var config = k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(path, currentContext: fixture.Server.Clusters.First().Name);
        Assert.Equal(fixture.Server.Clusters.First().ServerUrl, config.Host);
        File.Delete(path);
    }
}
