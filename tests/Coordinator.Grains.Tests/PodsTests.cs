using Coordinator.Grains.Tests.Infrastructure;
using Coordinator.KubeSim.Faults;
using static Coordinator.Grains.Tests.Infrastructure.TestCluster;

namespace Coordinator.Grains.Tests;

/// <summary>The pods of the <c>get rollout</c> tree (ROLLOUT-BEHAVIOUR §6), read on demand by <c>Pods()</c>.</summary>
[Collection(CoordinatorCollection.Name)]
public sealed class PodsTests(CoordinatorFixture fixture)
{
    [Fact]
    public async Task Pods_of_both_revisions_are_listed_with_their_hash_status_and_readiness()
    {
        var cluster = await fixture.NewClusterAsync();
        var h1 = await cluster.ApplyHealthyAsync(Manifests.Rollout(steps: ["setWeight: 20", "pause: {}"]));
        cluster.SetImage("argoproj/rollouts-demo:yellow");
        var paused = await cluster.WaitForAsync(s => s.Phase == "Paused" && s.CurrentStepIndex == 1 && s.Replicas.Available == 2, "paused on the canary");
        var h2 = paused.CurrentPodHash;
        Assert.NotEqual(h1, h2);

        var list = await cluster.Rollout().Pods();
        Assert.Null(list.Error);
        var pods = list.Pods;

        // One pod per revision; the Deployment's own pods (pod-template-hash only) are not the Rollout's.
        Assert.Equal(new[] { h1, h2 }.Order(), pods.Select(p => p.Hash).Order());
        foreach (var pod in pods)
        {
            Assert.Matches($"^{RolloutName}-{pod.Hash}-[a-z0-9]{{5}}$", pod.Name);
            Assert.Equal("Running", pod.Status);
            // The seed's namespace is Istio-injected: the istio-proxy sidecar is the second container.
            Assert.Equal((2, 2, 0), (pod.Ready, pod.Total, pod.Restarts));
            Assert.NotNull(pod.CreatedAt);
        }
        // Oldest first, then by name, as the plugin sorts them (timestamps have whole seconds, so ties are common).
        Assert.Equal(pods.OrderBy(p => p.CreatedAt).ThenBy(p => p.Name, StringComparer.Ordinal), pods);

        // The Rollout's own age: the time of its first apply.
        Assert.InRange(paused.CreatedAt ?? default, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task A_failed_pod_list_yields_no_pods_and_the_reason_and_a_missing_rollout_no_pods()
    {
        var cluster = await fixture.NewClusterAsync();
        var missing = await cluster.Rollout("no-such-rollout").Pods();
        Assert.Empty(missing.Pods);
        Assert.Null(missing.Error);

        await cluster.ApplyHealthyAsync(Manifests.FastSeedRollout());
        cluster.Sim.Faults.AddScripted(new ScriptedFault("list", "pods", Namespace, null, 403));
        var refused = await cluster.Rollout().Pods();
        Assert.Empty(refused.Pods);
        Assert.StartsWith($"list pods in {Namespace}: 403", refused.Error);

        // The fault was one-shot: the next look finds the stable pod again.
        var again = await cluster.Rollout().Pods();
        Assert.Single(again.Pods);
        Assert.Null(again.Error);
    }
}
