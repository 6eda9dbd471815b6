using Coordinator.Abstractions;
using Coordinator.Grains.Tests.Infrastructure;
using static Coordinator.Grains.Tests.Infrastructure.TestCluster;

namespace Coordinator.Grains.Tests;

/// <summary>
/// A cluster managed in some namespaces only (<c>Coordinator:Clusters[i]:Namespaces</c>): its informers list and watch
/// each of those namespaces, never across all namespaces, so a Role + RoleBinding per namespace is enough for the
/// coordinator there (deploy/kubernetes/target-cluster/namespaced/); rollouts work as with cluster-wide watches.
/// </summary>
[Collection(CoordinatorCollection.Name)]
public sealed class NamespacedWatchTests(CoordinatorFixture fixture)
{
    private static readonly string[] WatchedKinds = ["deployments", "replicasets", "services", "virtualservices"];

    [Fact]
    public async Task With_namespaces_every_list_and_watch_is_namespaced_and_an_update_still_completes()
    {
        var cluster = await fixture.NewClusterAsync(namespaces: [Namespace]);
        var stable = await cluster.ApplyHealthyAsync(Manifests.FastSeedRollout());
        var canary = await cluster.UpdateToHealthyAsync("argoproj/rollouts-demo:yellow", revision: 2);
        await cluster.WaitUntilAsync(() => cluster.Weights() == (100, 0) && cluster.Replicas(stable) == 0, "traffic back on the stable, revision 1 at 0");
        Assert.Equal(canary, cluster.SelectorHash(StableService));

        var requests = cluster.Sim.Requests;
        foreach (var kind in WatchedKinds)
        {
            Assert.True(requests.InNamespace("watch", Namespace, kind) >= 1, $"no watch of {kind} in namespace {Namespace}");
            Assert.True(requests.InNamespace("list", Namespace, kind) >= 1, $"no list of {kind} in namespace {Namespace}");
        }
        Assert.Equal(0, requests.ClusterWide("watch"));
        Assert.Equal(0, requests.ClusterWide("list"));
    }

    [Fact]
    public async Task A_rollout_outside_the_managed_namespaces_is_refused_naming_the_namespace_and_writes_nothing()
    {
        var cluster = await fixture.NewClusterAsync(namespaces: ["payments"]);
        await cluster.Sim.WhenControllersIdleAsync();
        var before = cluster.Sim.ResourceVersion;

        var error = await Assert.ThrowsAsync<RolloutCommandException>(() => cluster.Rollout().Apply(Manifests.FastSeedRollout()));
        Assert.Equal(CommandFailure.InvalidArgument, error.Failure);
        Assert.Equal($"metadata.namespace: namespace '{Namespace}' is not managed in cluster '{cluster.Name}' (its Namespaces: payments)", error.Message);
        Assert.Equal(before, cluster.Sim.ResourceVersion);
        Assert.Equal(0, cluster.Sim.Requests.Reads); // refused before any call
        Assert.False((await cluster.Rollout().Get()).Exists);
    }

    [Fact]
    public async Task Without_namespaces_the_watches_span_all_namespaces()
    {
        var cluster = await fixture.NewClusterAsync();
        await cluster.ApplyHealthyAsync(Manifests.FastSeedRollout());

        var requests = cluster.Sim.Requests;
        foreach (var kind in WatchedKinds)
            Assert.True(requests.ClusterWide("watch", kind) >= 1, $"no watch of {kind} across all namespaces");
        Assert.Equal(0, requests.InNamespace("watch", Namespace));
    }
}
