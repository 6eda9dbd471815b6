using Coordinator.Grains.Tests.Infrastructure;

namespace Coordinator.Grains.Tests;

/// <summary>
/// workloadRef <c>scaleDown</c> on every revision, as Argo documents it (never / onsuccess / progressively): the
/// Deployment is scaled back up with each update, as a GitOps sync would, and the rollout answers the same
/// way at revision 2 and 3 as at revision 1.
/// </summary>
[Collection(CoordinatorCollection.Name)]
public sealed class WorkloadScaleDownTests(CoordinatorFixture fixture)
{
    [Theory]
    [InlineData("never")]
    [InlineData("onsuccess")]
    [InlineData("progressively")]
    public async Task ScaleDown_acts_on_every_revision(string mode)
    {
        var cluster = await fixture.NewClusterAsync();
        var manifest = Manifests.Rollout(steps: ["setWeight: 50", "pause: {}"])
            .Replace("    kind: Deployment\n    name: rollouts-demo\n", $"    kind: Deployment\n    name: rollouts-demo\n    scaleDown: {mode}\n");
        Assert.Contains($"scaleDown: {mode}", manifest);
        await cluster.ApplyHealthyAsync(manifest);
        await ExpectDeploymentAsync(cluster, mode == "never" ? 1 : 0, "after revision 1");

        var revision = 1;
        foreach (var image in new[] { "argoproj/rollouts-demo:yellow", "argoproj/rollouts-demo:red" })
        {
            revision++;
            // One write, as a sync applies the manifest: scaled up and changed together. (Two writes race the Rollout,
            // which scales a Deployment scaled up behind a Healthy onsuccess Rollout back down, as Argo's controller does.)
            cluster.SetImage(image, replicas: 1);
            await cluster.WaitForAsync(s => s.Revision == revision && s.Phase == "Paused" && s.CurrentStepIndex == 1, $"revision {revision} paused at 50 %");

            // Mid-update: progressively keeps the Deployment at N minus the rollout's ready pods (the stable alone has N);
            // onsuccess waits for success; never leaves it alone.
            await ExpectDeploymentAsync(cluster, mode == "progressively" ? 0 : 1, $"revision {revision} paused");

            await cluster.Rollout().Promote(full: false);
            await cluster.WaitForAsync(s => s.Revision == revision && s.Phase == "Healthy" && s.StableHash == s.CurrentPodHash, $"revision {revision} healthy");
            await ExpectDeploymentAsync(cluster, mode == "never" ? 1 : 0, $"revision {revision} healthy");
        }
    }

    private static async Task ExpectDeploymentAsync(TestCluster cluster, int replicas, string when)
    {
        int Replicas() => cluster.Sim.Get("deployments", TestCluster.Namespace, "rollouts-demo")!["spec"]!["replicas"]?.GetValue<int>() ?? 1;
        if (replicas == 1)
        {
            // Nothing may scale it. The Deployment scale is planned in the same pass as the status the caller waited for,
            // and a status is published only after its pass's writes: a scale-down would already show here.
            Assert.True(Replicas() == 1, $"{when}: the Deployment was scaled to {Replicas()}");
            return;
        }

        await cluster.WaitUntilAsync(() => Replicas() == replicas, $"{when}: the Deployment at {replicas}");
    }
}
