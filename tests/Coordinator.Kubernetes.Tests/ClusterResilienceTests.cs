using System.Diagnostics;
using System.Net;
using Coordinator.Domain.Ports;
using Coordinator.Kubernetes.Clusters;
using Coordinator.Kubernetes.Clusters.Resilience;
using Coordinator.Kubernetes.Rollouts;
using Coordinator.KubeSim.Faults;
using Coordinator.KubeSim.Hosting;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Polly.CircuitBreaker;

namespace Coordinator.Kubernetes.Tests;

/// <summary>
/// The per-cluster resilience pipeline against KubeSim over real HTTP: what is retried, after how long, what is not,
/// how a hanging server is cut off and how a failing cluster's circuit opens without touching its neighbours.
/// </summary>
public sealed class ClusterResilienceTests : IAsyncLifetime
{
    private const string Ns = "test";
    private KubeSimServer _sim = null!;

    public async Task InitializeAsync() =>
        _sim = await KubeSimServer.StartAsync(new KubeSimOptions { PodReadyDelay = TimeSpan.FromMilliseconds(20) });

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    private (SimCluster Sim, IKubernetes Client, ClusterRegistry Registry) Cluster(KubernetesResilienceOptions? options = null, string name = "a")
    {
        var sim = _sim.AddCluster(name);
        sim.LoadSeed();
        var registry = new ClusterRegistry([new ClusterDefinition { Name = name, ServerUrl = new Uri(sim.ServerUrl) }], options);
        return (sim, registry.Client(name), registry);
    }

    [Fact]
    public async Task A_read_answered_500_is_retried_and_succeeds()
    {
        var (sim, client, registry) = Cluster();
        using var _ = registry;
        sim.Faults.AddScripted(new ScriptedFault("get", "services", Ns, "rollouts-demo", 500));

        var service = await client.CoreV1.ReadNamespacedServiceAsync("rollouts-demo", Ns);

        Assert.Equal("rollouts-demo", service.Metadata.Name);
        Assert.Equal(2, sim.Requests.Count("get", "services"));
    }

    [Fact]
    public async Task A_write_answered_429_is_retried_after_Retry_After()
    {
        var (sim, client, registry) = Cluster();
        using var _ = registry;
        sim.Faults.Set(new FaultSettings { RetryAfterSeconds = 1 });
        sim.Faults.AddScripted(new ScriptedFault("patch", "services", Ns, "rollouts-demo", 429));

        var clock = Stopwatch.StartNew();
        await client.CoreV1.PatchNamespacedServiceAsync(
            new V1Patch("""{"metadata":{"labels":{"seen":"yes"}}}""", V1Patch.PatchType.MergePatch), "rollouts-demo", Ns);

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), $"retried after {clock.Elapsed}, before the 1 s the server asked for");
        Assert.Equal(2, sim.Requests.Count("patch", "services"));
        Assert.Equal("yes", sim.Get("services", Ns, "rollouts-demo")!["metadata"]!["labels"]!["seen"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_write_answered_409_is_not_retried()
    {
        var (sim, client, registry) = Cluster();
        using var _ = registry;
        sim.Faults.AddScripted(new ScriptedFault("patch", "services", Ns, "rollouts-demo", 409));

        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.PatchNamespacedServiceAsync(
            new V1Patch("""{"metadata":{"labels":{"seen":"yes"}}}""", V1Patch.PatchType.MergePatch), "rollouts-demo", Ns));

        Assert.Equal(HttpStatusCode.Conflict, conflict.Response.StatusCode);
        Assert.Equal(1, sim.Requests.Count("patch", "services"));
    }

    [Fact]
    public async Task A_write_answered_500_is_not_retried()
    {
        var (sim, client, registry) = Cluster();
        using var _ = registry;
        sim.Faults.AddScripted(new ScriptedFault("patch", "services", Ns, "rollouts-demo", 500));

        var failed = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.PatchNamespacedServiceAsync(
            new V1Patch("""{"metadata":{"labels":{"seen":"yes"}}}""", V1Patch.PatchType.MergePatch), "rollouts-demo", Ns));

        Assert.Equal(HttpStatusCode.InternalServerError, failed.Response.StatusCode);
        Assert.Equal(1, sim.Requests.Count("patch", "services"));
    }

    [Fact]
    public async Task A_hanging_server_fails_a_call_within_the_call_timeout()
    {
        var options = new KubernetesResilienceOptions { CallTimeout = TimeSpan.FromSeconds(1.5), AttemptTimeout = TimeSpan.FromMilliseconds(500) };
        var (sim, client, registry) = Cluster(options);
        using var _ = registry;
        sim.Faults.Set(new FaultSettings { Unreachable = UnreachableMode.Hang });

        var clock = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<ClusterCallException>(() => KubernetesCalls.RunAsync("read service",
            ct => client.CoreV1.ReadNamespacedServiceAsync("rollouts-demo", Ns, cancellationToken: ct), CancellationToken.None));
        var took = clock.Elapsed;
        sim.Faults.Clear();

        Assert.Equal(ClusterCallFailure.Transient, failure.Failure);
        Assert.Contains("timed out", failure.Message);
        Assert.True(took < TimeSpan.FromSeconds(1.5) + TimeSpan.FromMilliseconds(500), $"the call took {took}");
        Assert.True(sim.Requests.Count("get", "services") >= 2, "a read whose attempt timed out is tried again within the call timeout");
    }

    [Fact]
    public async Task A_hanging_write_is_not_retried_and_fails_within_the_call_timeout()
    {
        var options = new KubernetesResilienceOptions { CallTimeout = TimeSpan.FromSeconds(1), AttemptTimeout = TimeSpan.FromMilliseconds(300) };
        var (sim, client, registry) = Cluster(options);
        using var _ = registry;
        sim.Faults.Set(new FaultSettings { Unreachable = UnreachableMode.Hang });

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<ClusterCallException>(() => KubernetesCalls.RunAsync("patch service",
            ct => client.CoreV1.PatchNamespacedServiceAsync(new V1Patch("{}", V1Patch.PatchType.MergePatch), "rollouts-demo", Ns, cancellationToken: ct),
            CancellationToken.None));
        var took = clock.Elapsed;
        sim.Faults.Clear();

        // Not cut at the attempt timeout (it would not be tried again): it has the call's whole second, and no more.
        Assert.True(took >= TimeSpan.FromSeconds(0.9) && took < TimeSpan.FromSeconds(2), $"the write took {took}");
        Assert.Equal(1, sim.Requests.Count("patch", "services"));
    }

    [Fact]
    public async Task After_repeated_failures_the_circuit_opens_for_that_cluster_only()
    {
        var options = new KubernetesResilienceOptions { MaxRetries = 0, BreakerMinimumThroughput = 4, BreakerFailureRatio = 0.5, BreakDuration = TimeSpan.FromSeconds(30) };
        var down = _sim.AddCluster("down");
        var up = _sim.AddCluster("up");
        down.LoadSeed();
        up.LoadSeed();
        // Both clusters are served on one KubeSim address: they share its HTTP/2 connection, not their circuits.
        using var registry = new ClusterRegistry(
            [new ClusterDefinition { Name = "down", ServerUrl = new Uri(down.ServerUrl) }, new ClusterDefinition { Name = "up", ServerUrl = new Uri(up.ServerUrl) }],
            options);
        down.Faults.Set(new FaultSettings { ErrorRate500 = 1 });

        for (var i = 0; i < 4; i++)
        {
            var failed = await Assert.ThrowsAsync<HttpOperationException>(() => registry.Client("down").CoreV1.ReadNamespacedServiceAsync("rollouts-demo", Ns));
            Assert.Equal(HttpStatusCode.InternalServerError, failed.Response.StatusCode);
        }
        var reached = down.Requests.Count("get", "services");
        await Assert.ThrowsAsync<BrokenCircuitException>(() => registry.Client("down").CoreV1.ReadNamespacedServiceAsync("rollouts-demo", Ns));
        var rejected = await Assert.ThrowsAsync<ClusterCallException>(() => KubernetesCalls.RunAsync("read service",
            ct => registry.Client("down").CoreV1.ReadNamespacedServiceAsync("rollouts-demo", Ns, cancellationToken: ct), CancellationToken.None));

        Assert.Equal(4, reached);
        Assert.Equal(reached, down.Requests.Count("get", "services")); // an open circuit sends nothing
        Assert.Equal(ClusterCallFailure.Transient, rejected.Failure);
        Assert.Contains("circuit open", rejected.Message);
        for (var i = 0; i < 10; i++)
            Assert.Equal("rollouts-demo", (await registry.Client("up").CoreV1.ReadNamespacedServiceAsync("rollouts-demo", Ns)).Metadata.Name);
    }

    [Fact]
    public async Task Watches_are_not_cut_by_the_attempt_timeout()
    {
        var options = new KubernetesResilienceOptions { CallTimeout = TimeSpan.FromSeconds(2), AttemptTimeout = TimeSpan.FromSeconds(1) };
        var sim = _sim.AddCluster("watched");
        var hung = _sim.AddCluster("hung");
        sim.LoadSeed();
        using var registry = new ClusterRegistry(
            [new ClusterDefinition { Name = "watched", ServerUrl = new Uri(sim.ServerUrl) }, new ClusterDefinition { Name = "hung", ServerUrl = new Uri(hung.ServerUrl) }],
            options);
        var client = registry.Client("watched");
        hung.Faults.Set(new FaultSettings { Unreachable = UnreachableMode.Hang });
        var list = await client.CoreV1.ListNamespacedServiceAsync(Ns);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var events = new List<string>();
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, service) in client.CoreV1.WatchListNamespacedServiceAsync(Ns, resourceVersion: list.Metadata.ResourceVersion, cancellationToken: stop.Token))
            {
                lock (events) events.Add($"{type} {service.Metadata.Labels?["seen"]}");
                if (service.Metadata.Labels?.ContainsKey("seen") == true) return;
            }
        });

        // Quiet for longer than both timeouts, then a change: the watch is still open to carry it. The signal that both
        // have run out: a read of a hanging cluster under the same options fails, which it does only at the call timeout.
        await Assert.ThrowsAnyAsync<Exception>(() => registry.Client("hung").CoreV1.ReadNamespacedServiceAsync("rollouts-demo", Ns));
        Assert.False(watching.IsCompleted, "the watch ended while quiet");
        sim.Patch("services", Ns, "rollouts-demo", """{"metadata":{"labels":{"seen":"late"}}}""");
        await watching.WaitAsync(stop.Token);

        Assert.Contains("Modified late", events);
    }

    [Fact]
    public async Task A_watch_the_server_never_answers_fails_within_the_call_timeout()
    {
        var options = new KubernetesResilienceOptions { CallTimeout = TimeSpan.FromSeconds(1), AttemptTimeout = TimeSpan.FromSeconds(1) };
        var (sim, client, registry) = Cluster(options);
        using var _ = registry;
        var list = await client.CoreV1.ListNamespacedServiceAsync(Ns);
        sim.Faults.Set(new FaultSettings { Unreachable = UnreachableMode.Hang });

        var clock = Stopwatch.StartNew();
        var hung = await Assert.ThrowsAsync<HttpRequestException>(async () =>
        {
            await foreach (var _ in Watching.WatchStream.ReadAsync(client, $"api/v1/namespaces/{Ns}/services", null, list.Metadata.ResourceVersion, 300,
                               (ref System.Text.Json.Utf8JsonReader reader) => System.Text.Json.JsonElement.ParseValue(ref reader), CancellationToken.None))
            {
            }
        });
        var took = clock.Elapsed;
        sim.Faults.Clear();

        Assert.Contains("did not answer the watch within 1s", hung.Message);
        Assert.True(took < TimeSpan.FromSeconds(3), $"the hung watch was given up after {took}");
    }

    [Fact]
    public void Retry_decisions_follow_client_go()
    {
        static Polly.Outcome<HttpResponseMessage> Answer(HttpStatusCode code, int? retryAfter = null)
        {
            var response = new HttpResponseMessage(code);
            if (retryAfter is int seconds) response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
            return Polly.Outcome.FromResult(response);
        }
        var get = new HttpRequestMessage(HttpMethod.Get, "http://x/api/v1/namespaces/test/services");
        var patch = new HttpRequestMessage(HttpMethod.Patch, "http://x/api/v1/namespaces/test/services/s");

        Assert.True(ClusterResilience.ShouldRetry(get, Answer(HttpStatusCode.InternalServerError)));
        Assert.True(ClusterResilience.ShouldRetry(get, Answer(HttpStatusCode.ServiceUnavailable)));
        Assert.True(ClusterResilience.ShouldRetry(patch, Answer(HttpStatusCode.TooManyRequests, 1)));
        Assert.True(ClusterResilience.ShouldRetry(patch, Answer(HttpStatusCode.ServiceUnavailable, 1)));
        Assert.True(ClusterResilience.ShouldRetry(patch, Polly.Outcome.FromException<HttpResponseMessage>(
            new HttpRequestException(HttpRequestError.ConnectionError, "refused"))));
        Assert.False(ClusterResilience.ShouldRetry(patch, Answer(HttpStatusCode.InternalServerError)));
        Assert.False(ClusterResilience.ShouldRetry(patch, Answer(HttpStatusCode.Conflict)));
        Assert.False(ClusterResilience.ShouldRetry(get, Answer(HttpStatusCode.Conflict)));
        Assert.False(ClusterResilience.ShouldRetry(get, Answer(HttpStatusCode.NotFound)));
        Assert.False(ClusterResilience.ShouldRetry(patch, Polly.Outcome.FromException<HttpResponseMessage>(new Polly.Timeout.TimeoutRejectedException())));
        Assert.False(ClusterResilience.IsServerFailure(Answer(HttpStatusCode.TooManyRequests, 1)));
        Assert.True(ClusterResilience.IsServerFailure(Answer(HttpStatusCode.InternalServerError)));
    }

    [Fact]
    public void Options_out_of_range_are_refused_naming_the_setting()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new KubernetesResilienceOptions { CallTimeout = TimeSpan.FromSeconds(1), AttemptTimeout = TimeSpan.FromSeconds(2) }.Validate());
        Assert.Contains("Coordinator:Kubernetes:AttemptTimeout", error.Message);
        Assert.Contains("Coordinator:Kubernetes:BreakerFailureRatio",
            Assert.Throws<ArgumentException>(() => new KubernetesResilienceOptions { BreakerFailureRatio = 0 }.Validate()).Message);
    }
}
