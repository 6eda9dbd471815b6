using System.Text.Json;
using Coordinator.Domain.Manifest;
using Coordinator.Domain.Ports;
using Coordinator.Kubernetes.Clusters;
using Coordinator.Kubernetes.Rollouts;
using Coordinator.Kubernetes.Watching;
using Coordinator.KubeSim.Hosting;
using Coordinator.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coordinator.Kubernetes.Tests;

/// <summary>
/// The informers of a cluster against KubeSim over real HTTP: a look answered by the watch cache is the look the API
/// server gives, and changes made by other clients reach the cache through the watches.
/// </summary>
public sealed class ClusterWatchTests : IAsyncLifetime
{
    private const string Ns = "test";
    private const string VirtualServices = "virtualservices.networking.istio.io";
    private KubeSimServer _sim = null!;
    private SimCluster _cluster = null!;
    private ClusterRegistry _registry = null!;
    private ClusterChangeHub _hub = null!;

    public async Task InitializeAsync()
    {
        _sim = await KubeSimServer.StartAsync(new KubeSimOptions { PodReadyDelay = TimeSpan.FromMilliseconds(20) });
        _cluster = _sim.AddCluster("c1");
        _cluster.LoadSeed();
        // The seed's pod turns Ready after 20 ms; the tests start from the settled cluster.
        await WaitUntilAsync(() => _cluster.Get("deployments", Ns, "rollouts-demo")?["status"]?["availableReplicas"]?.GetValue<int>() == 1);
        await _cluster.WhenControllersIdleAsync();
        _registry = new ClusterRegistry([new ClusterDefinition { Name = "c1", ServerUrl = new Uri(_cluster.ServerUrl) }]);
        _hub = new ClusterChangeHub(_registry, TimeProvider.System, NullLogger<ClusterChangeHub>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        _registry.Dispose();
        await _sim.DisposeAsync();
    }

    [Fact]
    public async Task A_look_from_the_synced_cache_equals_a_look_at_the_API_server()
    {
        var gateway = new KubernetesClusterGateway(_registry, _hub, new ApiCallCounter(), TimeProvider.System);
        var spec = RolloutManifest.Parse(Manifests.SeedRollout).Spec;
        var target = new RolloutTarget("c1", Ns, "rollouts-demo", Guid.NewGuid().ToString());
        Assert.Null(_hub.SyncedCache("c1")); // no rollout subscribed: no watch, no cache

        // The rollout's owner ConfigMap, as the coordinator creates it.
        _cluster.Create("configmaps", Ns, System.Text.Json.Nodes.JsonNode.Parse("""
            {"metadata":{"name":"rollouts-demo.rollout","labels":{"app.kubernetes.io/managed-by":"coordinator","coordinator.io/rollout":"rollouts-demo"}},"data":{"phase":"Healthy"}}
            """)!.AsObject());
        using var subscription = _hub.Subscribe("c1", Ns, "rollouts-demo", "rollouts-demo", () => { });
        await _hub.WhenWatching("c1");
        Assert.NotNull(_hub.SyncedCache("c1"));

        var counter = new ApiCallCounter();
        gateway = new KubernetesClusterGateway(_registry, _hub, counter, TimeProvider.System);
        var fromServer = await gateway.ObserveAsync(target, spec, ObservationSource.ApiServer, null, CancellationToken.None);
        var readsBefore = _cluster.Requests.Reads;
        var fromCache = await gateway.ObserveAsync(target, spec, ObservationSource.Cache, fromServer, CancellationToken.None);

        Assert.Equal(readsBefore, _cluster.Requests.Reads); // answered without a request
        Assert.Equal(1, counter.CacheLooks);
        Assert.Equal(6, counter.Reads); // the one look at the API server: Deployment, ReplicaSets, 2 Services, VirtualService, owner ConfigMap
        Assert.Equal(JsonSerializer.Serialize(fromServer.Observation), JsonSerializer.Serialize(fromCache.Observation));
        Assert.Equal("rollouts-demo", fromCache.Observation.Deployment?.Name);
        Assert.Equal(2, fromCache.Observation.Services.Count);
        Assert.Single(fromCache.Observation.VirtualServices);
        Assert.Equal(("rollouts-demo.rollout", "Healthy"), (fromCache.Observation.Owner?.Name, fromCache.Observation.Owner?.Data["phase"]));

        // The read filled the cache with the objects it read: the next look reuses the templates parsed from them,
        // and a look without a previous one finds the tree of the same template shared by content.
        Assert.Same(fromServer.Observation.Deployment!.Template, fromCache.Observation.Deployment!.Template);
        var fresh = await gateway.ObserveAsync(target, spec, ObservationSource.Cache, null, CancellationToken.None);
        Assert.Same(fromCache.Observation.Deployment.Template, fresh.Observation.Deployment!.Template);
        var cachedOwner = _hub.SyncedCache("c1")!.ConfigMaps.Get(Ns, "rollouts-demo.rollout")!;
        // Its dictionaries (the owner's data, selectors, annotations) are the cached objects' own, read-only, not copies.
        Assert.Same(fromServer.Observation.Owner!.Data, fromCache.Observation.Owner!.Data);
        Assert.Same(fromServer.Observation.Services[0].Selector, fromCache.Observation.Services[0].Selector);
        Assert.Same(cachedOwner.Data, fresh.Observation.Owner!.Data);
        Assert.Same(fromCache.Observation.Owner.Data, fresh.Observation.Owner.Data);
        Assert.Equal(fromCache.Observation.Deployment.Template.ToJsonString(), fresh.Observation.Deployment.Template.ToJsonString());

        // A new version of the Deployment that leaves its spec alone (its status) is a new cached object with the same
        // generation: its template tree is reused; a change of the template is not.
        var cache = _hub.SyncedCache("c1")!;
        var before = cache.Deployments.Get(Ns, "rollouts-demo")!;
        _cluster.Patch("deployments", Ns, "rollouts-demo", """{"metadata":{"annotations":{"note":"status-like"}}}""");
        await WaitUntilAsync(() => !ReferenceEquals(cache.Deployments.Get(Ns, "rollouts-demo"), before));
        var afterMetadata = await gateway.ObserveAsync(target, spec, ObservationSource.Cache, fresh, CancellationToken.None);
        Assert.Same(fresh.Observation.Deployment.Template, afterMetadata.Observation.Deployment!.Template);
        _cluster.Patch("deployments", Ns, "rollouts-demo", """{"spec":{"template":{"metadata":{"labels":{"rev":"2"}}}}}""");
        await WaitUntilAsync(() => cache.Deployments.Get(Ns, "rollouts-demo")?.Spec.Template.Metadata.Labels?.ContainsKey("rev") == true);
        var afterTemplate = await gateway.ObserveAsync(target, spec, ObservationSource.Cache, afterMetadata, CancellationToken.None);
        Assert.NotSame(afterMetadata.Observation.Deployment.Template, afterTemplate.Observation.Deployment!.Template);
        Assert.Equal("2", afterTemplate.Observation.Deployment.Template["metadata"]!["labels"]!["rev"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_fleet_look_reads_only_the_Deployment_and_a_fleet_write_is_in_the_cache_when_it_returns()
    {
        var spec = RolloutManifest.Parse(Manifests.SeedRollout).Spec;
        var target = new RolloutTarget("c1", Ns, "rollouts-demo", Guid.NewGuid().ToString());
        using var subscription = _hub.Subscribe("c1", Ns, "rollouts-demo", "rollouts-demo", () => { });
        await _hub.WhenWatching("c1");
        var counter = new ApiCallCounter();
        var gateway = new KubernetesClusterGateway(_registry, _hub, counter, TimeProvider.System);

        var readsBefore = _cluster.Requests.Reads;
        var fleetLook = await gateway.ObserveAsync(target, spec, ObservationSource.FreshDeployment, null, CancellationToken.None);
        Assert.Equal(readsBefore + 1, _cluster.Requests.Reads); // the Deployment; the rest from the watch cache
        var fromServer = await gateway.ObserveAsync(target, spec, ObservationSource.ApiServer, null, CancellationToken.None);
        Assert.Equal(JsonSerializer.Serialize(fromServer.Observation), JsonSerializer.Serialize(fleetLook.Observation));

        var versionBefore = long.Parse(_cluster.Get("deployments", Ns, "rollouts-demo")!["metadata"]!["resourceVersion"]!.GetValue<string>());
        await gateway.PatchDeploymentTemplateAsync(target, "rollouts-demo",
            """{"spec":{"containers":[{"name":"rollouts-demo","image":"argoproj/rollouts-demo:yellow"}]}}""", null, CancellationToken.None);
        // The patch's answer, or a later version (the Deployment's controller may have written its status since): never
        // the version before the write, which a look right after the write would otherwise still see.
        var cached = _hub.SyncedCache("c1")!.Deployments.Get(Ns, "rollouts-demo")!;
        Assert.True(long.Parse(cached.Metadata.ResourceVersion) > versionBefore);
        Assert.Equal("argoproj/rollouts-demo:yellow", cached.Spec.Template.Spec.Containers[0].Image);
    }

    [Fact]
    public async Task A_fleet_write_conditional_on_a_version_the_Deployment_no_longer_has_is_a_conflict_and_changes_nothing()
    {
        var target = new RolloutTarget("c1", Ns, "rollouts-demo", Guid.NewGuid().ToString());
        var gateway = new KubernetesClusterGateway(_registry, _hub, new ApiCallCounter(), TimeProvider.System);
        var seen = _cluster.Get("deployments", Ns, "rollouts-demo")!["metadata"]!["resourceVersion"]!.GetValue<string>();
        _cluster.Patch("deployments", Ns, "rollouts-demo", """{"spec":{"template":{"metadata":{"labels":{"rev":"2"}}}}}""");
        const string change = """{"spec":{"containers":[{"name":"rollouts-demo","image":"argoproj/rollouts-demo:yellow"}]}}""";

        var conflict = await Assert.ThrowsAsync<ClusterCallException>(() =>
            gateway.PatchDeploymentTemplateAsync(target, "rollouts-demo", change, seen, CancellationToken.None));
        Assert.Equal(ClusterCallFailure.Conflict, conflict.Failure);
        var deployment = _cluster.Get("deployments", Ns, "rollouts-demo")!;
        Assert.NotEqual("argoproj/rollouts-demo:yellow", deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());

        // At the version it has now it lands. (The Deployment controller writes the status of the template change above
        // meanwhile, a newer version again: as any controller would, read the version again and retry.)
        for (var attempt = 1; ; attempt++)
        {
            var current = _cluster.Get("deployments", Ns, "rollouts-demo")!["metadata"]!["resourceVersion"]!.GetValue<string>();
            try
            {
                await gateway.PatchDeploymentTemplateAsync(target, "rollouts-demo", change, current, CancellationToken.None);
                break;
            }
            catch (ClusterCallException ex) when (ex.Failure == ClusterCallFailure.Conflict && attempt < 20) { }
        }
        deployment = _cluster.Get("deployments", Ns, "rollouts-demo")!;
        Assert.Equal("argoproj/rollouts-demo:yellow", deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Equal("2", deployment["spec"]!["template"]!["metadata"]!["labels"]!["rev"]!.GetValue<string>());
    }

    [Fact]
    public async Task Changes_made_by_other_clients_reach_the_cache_and_only_changes_that_matter_wake_rollouts()
    {
        var wakes = 0;
        using var subscription = _hub.Subscribe("c1", Ns, "rollouts-demo", "rollouts-demo", () => Interlocked.Increment(ref wakes));
        await _hub.WhenWatching("c1");
        var cache = _hub.SyncedCache("c1")!;
        var wakesAfterList = Volatile.Read(ref wakes);

        _cluster.Patch("services", Ns, "rollouts-demo-canary", """{"metadata":{"labels":{"team":"payments"}}}""");
        _cluster.Patch(VirtualServices, Ns, "rollouts-demo", """{"metadata":{"annotations":{"edited":"by-hand"}}}""");
        await WaitUntilAsync(() =>
            cache.Services.Get(Ns, "rollouts-demo-canary")?.Metadata.Labels is { } labels && labels.TryGetValue("team", out var team) && team == "payments"
            && cache.VirtualServices.Get(Ns, "rollouts-demo")?.Json.GetProperty("metadata") is { } metadata
            && metadata.TryGetProperty("annotations", out var annotations) && annotations.TryGetProperty("edited", out _));
        Assert.Equal(wakesAfterList, Volatile.Read(ref wakes)); // nothing a rollout acts on changed

        _cluster.Patch("deployments", Ns, "rollouts-demo", """{"spec":{"template":{"metadata":{"labels":{"rev":"2"}}}}}""");
        // Polled while the watch applies events: each look takes the cached object as it is, whatever it holds.
        await WaitUntilAsync(() => cache.Deployments.Get(Ns, "rollouts-demo")?.Spec?.Template?.Metadata?.Labels is { } labels && labels.TryGetValue("rev", out var rev) && rev == "2");
        await WaitUntilAsync(() => Volatile.Read(ref wakes) > wakesAfterList); // a new template wakes the rollout

        _cluster.Delete(VirtualServices, Ns, "rollouts-demo");
        await WaitUntilAsync(() => cache.VirtualServices.Get(Ns, "rollouts-demo") is null);
    }

    [Fact]
    public async Task A_cluster_managed_in_two_namespaces_lists_and_watches_each_without_losing_the_other()
    {
        _cluster.Create("namespaces", null, new System.Text.Json.Nodes.JsonObject { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "other" } });
        using var registry = new ClusterRegistry([new ClusterDefinition { Name = "c1", ServerUrl = new Uri(_cluster.ServerUrl), Namespaces = [Ns, "other"] }]);
        await using var hub = new ClusterChangeHub(registry, TimeProvider.System, NullLogger<ClusterChangeHub>.Instance);
        var (allNamespaceWatches, otherWatches) = (_cluster.Requests.ClusterWide("watch"), _cluster.Requests.InNamespace("watch", "other"));

        using var subscription = hub.Subscribe("c1", Ns, "rollouts-demo", "rollouts-demo", () => { });
        await hub.WhenWatching("c1");
        var cache = hub.SyncedCache("c1")!;
        Assert.NotNull(cache.Deployments.Get(Ns, "rollouts-demo"));
        await WaitUntilAsync(() => _cluster.Requests.InNamespace("watch", "other") - otherWatches == 5); // one per kind (the owner ConfigMaps too)
        Assert.Equal(allNamespaceWatches, _cluster.Requests.ClusterWide("watch"));

        // A Service appears in the other namespace: its watch delivers it, and the test namespace's objects stay.
        _cluster.Create("services", "other", System.Text.Json.Nodes.JsonNode.Parse(
            """{"metadata":{"name":"svc"},"spec":{"ports":[{"port":80}],"selector":{"app":"x"}}}""")!.AsObject());
        await WaitUntilAsync(() => cache.Services.Get("other", "svc") is not null);
        Assert.NotNull(cache.Services.Get(Ns, "rollouts-demo"));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the watch cache did not catch up");
            await Task.Delay(10);
        }
    }
}
