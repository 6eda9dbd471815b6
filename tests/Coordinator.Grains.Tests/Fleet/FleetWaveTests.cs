using Coordinator.Grains.Tests.Infrastructure;

namespace Coordinator.Grains.Tests.Fleet;

/// <summary>A release carried through the fleet wave by wave, with at most maxParallel clusters of a wave changing at once.</summary>
[Collection(CoordinatorCollection.Name)]
public sealed class FleetWaveTests(CoordinatorFixture fixture)
{
    [Fact]
    public async Task Three_waves_over_nine_clusters_complete_in_order_never_more_than_maxParallel_at_once()
    {
        var bed = await FleetBed.CreateAsync(fixture, 9);
        var waves = new[] { bed.Names(0), bed.Names(1, 2, 3), bed.Names(4, 5, 6, 7, 8) };
        using var log = new FleetWriteLog(bed.Clusters);

        await bed.ApplyAsync(bed.Manifest("nine", FleetBed.Yellow,
        [
            FleetBed.Wave("canary", waves[0]),
            FleetBed.Wave("second", waves[1], "maxParallel: 2"),
            FleetBed.Wave("rest", waves[2], "maxParallel: 3"),
        ]));
        var done = await bed.WaitForAsync("nine", s => s.Phase == "Completed", "completed", TimeSpan.FromSeconds(60));

        Assert.Equal("completed: 9 of 9 clusters Healthy", done.Message);
        Assert.All(done.Waves.SelectMany(w => w.Clusters), c => Assert.Equal("Healthy", c.State));
        Assert.All(bed.Clusters, c => Assert.Equal(FleetBed.Yellow, c.DeploymentImage()));
        Assert.All(bed.Clusters, c => Assert.Equal((100, 0), c.Weights()));
        // Waves in order: every cluster of a wave done before any cluster of the next one was written.
        for (var i = 1; i < waves.Length; i++)
        {
            var lastDone = waves[i - 1].Max(c => log.First(c, FleetWriteLog.Done) ?? long.MaxValue);
            var firstStart = waves[i].Min(c => log.First(c, FleetWriteLog.Started) ?? long.MinValue);
            Assert.True(lastDone < firstStart, $"wave {i} started before wave {i - 1} was done:\n{log}");
        }
        Assert.Equal(1, log.MostInProgress(waves[0]));
        Assert.Equal(2, log.MostInProgress(waves[1]));
        Assert.Equal(3, log.MostInProgress(waves[2]));
    }
}
