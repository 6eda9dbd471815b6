using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Coordinator.KubeSim.Faults;
using Coordinator.KubeSim.Tests.Support;
using k8s;
using k8s.Models;

namespace Coordinator.KubeSim.Tests;

/// <summary>The <c>unhealthyImages</c> fault: pods of those images run but never become Ready, like a failing readiness probe.</summary>
public sealed class UnhealthyImageTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Red = "argoproj/rollouts-demo:red";

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private HttpClient Admin() => new() { BaseAddress = new Uri(fixture.Server.BaseUrl) };

    private static async Task<IList<V1Pod>> RunningPodsAsync(Kubernetes client, string app, int count) =>
        (await Eventually.GetAsync(() => client.CoreV1.ListNamespacedPodAsync("test", labelSelector: $"app={app}"),
            l => l.Items.Count == count && l.Items.All(p => p.Status?.Phase == "Running"), $"{count} running {app} pods")).Items;

    [Fact]
    public async Task Pods_of_an_unhealthy_image_put_over_http_run_but_stay_unready_while_other_images_get_ready()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        using var http = Admin();
        var url = $"/_kubesim/clusters/{cluster.Name}/faults";

        var put = await http.PutAsync(url, Json($$"""{"unhealthyImages":["{{Red}}"]}"""));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal([Red], (await http.GetFromJsonAsync<JsonElement>(url)).GetProperty("unhealthyImages").EnumerateArray().Select(i => i.GetString()));
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("bad", image: Red, replicas: 2), "test");
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("good", image: "argoproj/rollouts-demo:blue", replicas: 1), "test");

        var pods = await RunningPodsAsync(client, "bad", 2);
        await Eventually.GetAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync("good", "test"), d => d.Status?.ReadyReplicas == 1, "good deployment ready");
        await cluster.WhenControllersIdleAsync();

        Assert.All(pods, p =>
        {
            var ready = Assert.Single(p.Status.Conditions, c => c.Type == "Ready");
            Assert.Equal(("False", "ContainersNotReady", "containers with unready status: [c]"), (ready.Status, ready.Reason, ready.Message));
            Assert.Equal("False", Assert.Single(p.Status.Conditions, c => c.Type == "ContainersReady").Status);
            Assert.False(Assert.Single(p.Status.ContainerStatuses, s => s.Name == "c").Ready);
            Assert.True(Assert.Single(p.Status.ContainerStatuses, s => s.Name == "istio-proxy").Ready); // the sidecar's image is healthy
        });
        var rs = Assert.Single((await client.AppsV1.ListNamespacedReplicaSetAsync("test", labelSelector: "app=bad")).Items);
        Assert.Equal((2, 0, 0), (rs.Status.Replicas, rs.Status.ReadyReplicas ?? 0, rs.Status.AvailableReplicas ?? 0));
        var bad = await client.AppsV1.ReadNamespacedDeploymentAsync("bad", "test");
        Assert.Equal((2, 0, 0), (bad.Status.Replicas ?? 0, bad.Status.ReadyReplicas ?? 0, bad.Status.AvailableReplicas ?? 0));
    }

    [Fact]
    public async Task Clearing_the_fault_over_http_lets_the_pods_become_ready()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        using var http = Admin();
        var url = $"/_kubesim/clusters/{cluster.Name}/faults";
        await http.PutAsync(url, Json($$"""{"unhealthyImages":["{{Red}}"]}"""));
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", image: Red, replicas: 2), "test");
        await RunningPodsAsync(client, "web", 2);

        Assert.Equal(HttpStatusCode.OK, (await http.DeleteAsync(url)).StatusCode);

        var d = await Eventually.GetAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync("web", "test"),
            d => d.Status?.ReadyReplicas == 2 && d.Status.AvailableReplicas == 2, "deployment ready once the fault is cleared");
        Assert.Contains(d.Status.Conditions, c => c.Type == "Available" && c.Status == "True");
        Assert.All((await client.CoreV1.ListNamespacedPodAsync("test", labelSelector: "app=web")).Items,
            p => Assert.All(p.Status.ContainerStatuses, s => Assert.True(s.Ready)));
    }

    [Fact]
    public async Task Setting_the_fault_in_process_makes_ready_pods_of_that_image_unready()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", image: Red, replicas: 2), "test");
        await Eventually.GetAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync("web", "test"), d => d.Status?.ReadyReplicas == 2, "deployment ready");

        cluster.Faults.Set(new FaultSettings { UnhealthyImages = [Red] });

        var d = await Eventually.GetAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync("web", "test"),
            d => (d.Status?.ReadyReplicas ?? 0) == 0, "deployment unready once its image is unhealthy");
        Assert.Equal(0, d.Status.AvailableReplicas ?? 0);
        Assert.True(cluster.List("pods", "test", "app=web").All(p => !PodIsReady(p)));

        cluster.Faults.Set(FaultSettings.None);
        await Eventually.GetAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync("web", "test"), d => d.Status?.ReadyReplicas == 2, "ready again");
    }

    [Fact]
    public async Task A_malformed_unhealthy_images_field_is_refused_naming_it_and_changes_nothing()
    {
        var cluster = fixture.NewCluster();
        cluster.Faults.Set(new FaultSettings { UnhealthyImages = [Red] });
        using var http = Admin();

        var put = await http.PutAsync($"/_kubesim/clusters/{cluster.Name}/faults", Json("""{"unhealthyImages":"argoproj/rollouts-demo:red","latencyMs":50}"""));

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Contains("unhealthyImages", await put.Content.ReadAsStringAsync());
        Assert.Equal([Red], cluster.Faults.Settings.UnhealthyImages);
        Assert.Equal(TimeSpan.Zero, cluster.Faults.Settings.Latency);
    }

    private static bool PodIsReady(System.Text.Json.Nodes.JsonObject pod) =>
        pod["status"]?["conditions"]?.AsArray().Any(c => (string?)c?["type"] == "Ready" && (string?)c?["status"] == "True") == true;
}
