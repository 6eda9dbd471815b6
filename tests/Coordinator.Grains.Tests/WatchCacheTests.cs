using Coordinator.Grains.Tests.Infrastructure;
using static Coordinator.Grains.Tests.Infrastructure.TestCluster;

namespace Coordinator.Grains.Tests;

/// <summary>
/// Rollouts decide on their clusters' watch caches (Deployments, ReplicaSets, Services, VirtualServices), as Argo decides
/// on its informers: an update costs the API server its writes and the watch streams, not five reads per look. Every
/// write still carries the resourceVersion the look saw, so a change made by someone else is never overwritten.
/// </summary>
[Collection(CoordinatorCollection.Name)]
public sealed class WatchCacheTests(CoordinatorFixture fixture)
{
    private const string Yellow = "argoproj/rollouts-demo:yellow";

    [Fact]
    public async Task An_update_is_decided_on_the_watch_cache_without_reading_the_objects_again()
    {
        var cluster = await fixture.NewClusterAsync();
        var stable = await cluster.ApplyHealthyAsync(Manifests.FastSeedRollout());
        var (reads, weightWrites) = (cluster.Sim.Requests.Reads, cluster.Sim.Requests.Count("update", "virtualservices"));

        var canary = await cluster.UpdateToHealthyAsync(Yellow, revision: 2);
        await cluster.WaitUntilAsync(() => cluster.Weights() == (100, 0) && cluster.Replicas(stable) == 0, "traffic back on the stable, revision 1 at 0");

        // The seed's full update: 5 weight writes, both Service switches, two ReplicaSets scaled.
        Assert.Equal(5, cluster.Sim.Requests.Count("update", "virtualservices") - weightWrites);
        Assert.Equal(canary, cluster.SelectorHash(StableService));
        // Reading every object at every look cost ~85 reads per update. The cache leaves none, except one fresh look
        // (5 reads) after a write the API server refused because the watch had not yet delivered a newer version.
        var updateReads = cluster.Sim.Requests.Reads - reads;
        Assert.True(updateReads <= 10, $"{updateReads} reads during the update");
    }

    [Fact]
    public async Task A_VirtualService_edited_during_a_pause_keeps_the_edit_when_the_next_weight_is_written()
    {
        var cluster = await fixture.NewClusterAsync();
        await cluster.ApplyHealthyAsync(Manifests.Rollout(steps: ["setWeight: 20", "pause: { duration: 2s }", "setWeight: 60", "pause: {}"]));
        cluster.SetImage(Yellow);
        await cluster.WaitForAsync(s => s.Revision == 2 && s.Phase == "Paused" && s.CurrentStepIndex == 1, "paused at 20 %");
        await cluster.WaitUntilAsync(() => cluster.Weights() == (80, 20), "80/20");

        // Someone else (a mesh operator) sets a timeout on the route while the rollout waits.
        var vs = cluster.Sim.Get("virtualservices.networking.istio.io", Namespace, "rollouts-demo")!;
        vs["spec"]!["http"]![0]!["timeout"] = "7s";
        cluster.Sim.Replace("virtualservices.networking.istio.io", Namespace, "rollouts-demo", vs);

        await cluster.WaitForAsync(s => s.CurrentStepIndex == 3 && s.Phase == "Paused", "paused at 60 %");
        await cluster.WaitUntilAsync(() => cluster.Weights() == (40, 60), "40/60");
        var route = cluster.Sim.Get("virtualservices.networking.istio.io", Namespace, "rollouts-demo")!["spec"]!["http"]![0]!.AsObject();
        Assert.Equal("7s", route["timeout"]?.GetValue<string>());
    }
}
