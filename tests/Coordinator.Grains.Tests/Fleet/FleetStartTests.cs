using Coordinator.Grains.Tests.Infrastructure;
using Coordinator.KubeSim.Faults;

namespace Coordinator.Grains.Tests.Fleet;

/// <summary>
/// A cluster's start records the Deployment's template to revert to from the watch cache, and writes the change only
/// if the Deployment is still that version; when it is not, the template is read from the API server and written over.
/// </summary>
[Collection(CoordinatorCollection.Name)]
public sealed class FleetStartTests(CoordinatorFixture fixture)
{
    [Fact]
    public async Task A_start_whose_conditional_write_conflicts_reads_the_deployment_again_and_a_revert_restores_the_template_it_replaced()
    {
        var bed = await FleetBed.CreateAsync(fixture, 2);
        var (conflicted, current) = (bed.Clusters[0], bed.Clusters[1]);
        var oldImage = current.DeploymentImage();
        // The API server's answer to a write conditional on a version the Deployment no longer has.
        conflicted.Sim.Faults.AddScripted(new ScriptedFault("patch", "deployments", TestCluster.Namespace, TestCluster.RolloutName, 409));

        await bed.ApplyAsync(bed.Manifest("start", FleetBed.Yellow, [FleetBed.Wave("all", bed.Names(0, 1), "maxParallel: 2")]));
        var completed = await bed.WaitForAsync("start", s => s.Phase == "Completed", "completed");

        Assert.All(completed.Waves.SelectMany(w => w.Clusters), c => Assert.Equal("Healthy", c.State));
        Assert.All(bed.Clusters, c => Assert.Equal(FleetBed.Yellow, c.DeploymentImage()));
        Assert.Empty(conflicted.Sim.Faults.Scripted); // the conflict was answered, and the cluster did not fail

        await bed.Fleet("start").Revert();
        await bed.WaitForAsync("start", s => s.Phase == "Reverted", "reverted");
        foreach (var cluster in bed.Clusters)
        {
            Assert.Equal(oldImage, cluster.DeploymentImage());
            await cluster.WaitUntilAsync(() => cluster.Weights() == (100, 0), "the VirtualService at 100/0");
        }
    }
}
