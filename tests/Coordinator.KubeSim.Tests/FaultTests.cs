using System.Diagnostics;
using System.Net;
using Coordinator.KubeSim.Faults;
using Coordinator.KubeSim.Tests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Coordinator.KubeSim.Tests;

public sealed class FaultTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static async Task<HttpStatusCode> StatusOfGetAsync(Kubernetes client)
    {
        try
        {
            await client.CoreV1.ListNamespacedServiceAsync("test");
            return HttpStatusCode.OK;
        }
        catch (HttpOperationException e)
        {
            return e.Response.StatusCode;
        }
    }

    [Fact]
    public async Task Latency_delays_every_request()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        cluster.Faults.Set(new FaultSettings { Latency = TimeSpan.FromMilliseconds(200) });

        var watch = Stopwatch.StartNew();
        await client.CoreV1.ListNamespacedServiceAsync("test");

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(190), $"took {watch.Elapsed}");
        cluster.Faults.Clear();
    }

    [Fact]
    public async Task Error_rates_are_deterministic_for_a_seed()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);

        async Task<List<HttpStatusCode>> RunAsync()
        {
            cluster.Faults.Set(new FaultSettings { ErrorRate500 = 0.3, ErrorRate503 = 0.2, ErrorRate429 = 0.2, Seed = 7 });
            var codes = new List<HttpStatusCode>();
            for (var i = 0; i < 30; i++) codes.Add(await StatusOfGetAsync(client));
            return codes;
        }

        var first = await RunAsync();
        var second = await RunAsync();
        cluster.Faults.Clear();

        Assert.Equal(first, second);
        Assert.Contains(HttpStatusCode.InternalServerError, first);
        Assert.Contains(HttpStatusCode.ServiceUnavailable, first);
        Assert.Contains(HttpStatusCode.TooManyRequests, first);
        Assert.Contains(HttpStatusCode.OK, first);
    }

    [Fact]
    public async Task Too_many_requests_carries_Retry_After()
    {
        var cluster = fixture.NewCluster();
        cluster.Faults.Set(new FaultSettings { ErrorRate429 = 1, RetryAfterSeconds = 3 });
        using var http = new HttpClient();
        var response = await http.GetAsync(cluster.ServerUrl + "/api/v1/namespaces/test/services");
        cluster.Faults.Clear();
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Conflict_rate_applies_to_writes_only()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        cluster.Faults.Set(new FaultSettings { ConflictRateOnWrites = 1 });

        await client.CoreV1.ListNamespacedServiceAsync("test");
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.CreateNamespacedServiceAsync(Models.Service("a", new() { ["x"] = "y" }), "test"));
        cluster.Faults.Clear();
        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
    }

    [Fact]
    public async Task Scripted_fault_fails_the_next_matching_request_once()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("rollouts-demo"), "test");
        cluster.Faults.AddScripted(new ScriptedFault("patch", "deployments", "test", "rollouts-demo", 409));
        var patch = new V1Patch("""{"metadata":{"labels":{"a":"b"}}}""", V1Patch.PatchType.MergePatch);

        await client.AppsV1.ReadNamespacedDeploymentAsync("rollouts-demo", "test"); // a GET does not match
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.AppsV1.PatchNamespacedDeploymentAsync(patch, "rollouts-demo", "test"));
        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
        await client.AppsV1.PatchNamespacedDeploymentAsync(patch, "rollouts-demo", "test"); // one-shot: the next one passes
        Assert.Empty(cluster.Faults.Scripted);
    }

    [Fact]
    public async Task Unreachable_refuse_fails_the_connection_quickly()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        cluster.Faults.Set(new FaultSettings { Unreachable = UnreachableMode.Refuse });

        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<HttpRequestException>(() => client.CoreV1.ListNamespacedServiceAsync("test"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));

        cluster.Faults.Clear();
        await client.CoreV1.ListNamespacedServiceAsync("test");
    }

    [Fact]
    public async Task Unreachable_hang_holds_requests_until_cleared()
    {
        var cluster = fixture.NewCluster();
        using var http = new HttpClient();
        cluster.Faults.Set(new FaultSettings { Unreachable = UnreachableMode.Hang });

        var pending = http.GetAsync(cluster.ServerUrl + "/api/v1/namespaces/test/services");
        var first = await Task.WhenAny(pending, Task.Delay(300));
        Assert.NotSame(pending, first);

        cluster.Faults.Clear();
        var response = await pending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_outage_set_for_a_duration_lifts_by_itself()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        using var http = new HttpClient();
        var put = await http.PutAsync($"{fixture.Server.BaseUrl}/_kubesim/clusters/{cluster.Name}/faults",
            new StringContent("""{"unreachable":"refuse","forSeconds":1}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var outage = Stopwatch.StartNew();
        await Assert.ThrowsAsync<HttpRequestException>(() => client.CoreV1.ListNamespacedServiceAsync("test"));

        // Polled with a deadline: the outage ends on the server's own timer.
        while (true)
        {
            try
            {
                await client.CoreV1.ListNamespacedServiceAsync("test");
                break;
            }
            catch (HttpRequestException) when (outage.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(50);
            }
        }
        Assert.True(outage.Elapsed >= TimeSpan.FromMilliseconds(900), $"reachable again after {outage.Elapsed}");
        Assert.Equal(UnreachableMode.None, cluster.Faults.Settings.Unreachable);
    }

    [Fact]
    public async Task Faults_never_apply_to_admin_endpoints()
    {
        var cluster = fixture.NewCluster();
        cluster.Faults.Set(new FaultSettings { Unreachable = UnreachableMode.Refuse });
        using var http = new HttpClient();
        var response = await http.GetAsync($"{fixture.Server.BaseUrl}/_kubesim/clusters/{cluster.Name}/faults");
        cluster.Faults.Clear();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
