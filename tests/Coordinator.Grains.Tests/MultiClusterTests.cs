using System.Diagnostics;
using Coordinator.Grains.Tests.Infrastructure;
using Coordinator.KubeSim.Faults;

namespace Coordinator.Grains.Tests;

/// <summary>
/// The same Rollout in several clusters: one grain per cluster, so each runs independently and in parallel, and a
/// cluster that cannot be reached stalls only its own rollout.
/// </summary>
[Collection(CoordinatorCollection.Name)]
public sealed class MultiClusterTests(CoordinatorFixture fixture)
{
    private const string Yellow = "argoproj/rollouts-demo:yellow";

    // Three 1 s pauses: an update takes about 4 s; 20 s is "its normal time" with a generous margin for a busy machine.
    private static readonly TimeSpan NormalUpdateTime = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task The_same_rollout_runs_in_parallel_in_every_cluster()
    {
        var clusters = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => fixture.NewClusterAsync()));
        await Task.WhenAll(clusters.Select(c => c.ApplyHealthyAsync(Manifests.FastSeedRollout())));

        var clock = Stopwatch.StartNew();
        foreach (var cluster in clusters) cluster.SetImage(Yellow);
        var windows = await Task.WhenAll(clusters.Select(async cluster =>
        {
            var started = await cluster.WaitForAsync(s => s.Revision == 2, "revision 2 started");
            var startedAt = clock.Elapsed;
            var healthy = await cluster.WaitForAsync(s => s.Phase == "Healthy" && s.Revision == 2 && s.StableHash == s.CurrentPodHash, "revision 2 healthy", NormalUpdateTime);
            return (Start: startedAt, End: clock.Elapsed, Hash: healthy.StableHash, Started: started);
        }));

        // Every update started before any finished: they overlapped rather than queued behind each other.
        Assert.True(windows.Max(w => w.Start) < windows.Min(w => w.End), string.Join(", ", windows.Select(w => $"{w.Start}..{w.End}")));
        Assert.Single(windows.Select(w => w.Hash).Distinct()); // the same template gives the same revision everywhere
        foreach (var cluster in clusters)
            await cluster.WaitUntilAsync(() => cluster.Weights() == (100, 0), "weights back to 100/0");
    }

    [Theory]
    [InlineData(UnreachableMode.Hang, 0)]
    [InlineData(UnreachableMode.Refuse, 0)]
    [InlineData(UnreachableMode.None, 3000)]
    public async Task A_faulty_cluster_does_not_slow_the_others_and_completes_once_the_fault_clears(UnreachableMode unreachable, int latencyMs)
    {
        var clusters = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => fixture.NewClusterAsync()));
        await Task.WhenAll(clusters.Select(c => c.ApplyHealthyAsync(Manifests.FastSeedRollout())));
        var (faulty, healthy) = (clusters[0], clusters[1..]);
        faulty.Sim.Faults.Set(new FaultSettings { Unreachable = unreachable, Latency = TimeSpan.FromMilliseconds(latencyMs) });

        foreach (var cluster in clusters) cluster.SetImage(Yellow);

        // The healthy clusters finish in their normal time...
        var done = await Task.WhenAll(healthy.Select(c =>
            c.WaitForAsync(s => s.Phase == "Healthy" && s.Revision == 2 && s.StableHash == s.CurrentPodHash, "revision 2 healthy", NormalUpdateTime)));
        Assert.All(done, s => Assert.Equal(7, s.CurrentStepIndex));

        // ...while the faulty one has not (its watch still wakes it, but every look at the cluster hangs, fails or crawls).
        var stuck = await faulty.Rollout().Get();
        Assert.False(stuck.Phase == "Healthy" && stuck.Revision == 2, $"{stuck.Phase} revision {stuck.Revision}");

        faulty.Sim.Faults.Clear();
        var recovered = await faulty.WaitForAsync(s => s.Phase == "Healthy" && s.Revision == 2 && s.StableHash == s.CurrentPodHash,
            "revision 2 healthy after the fault cleared", TimeSpan.FromSeconds(60));
        Assert.Equal(done[0].StableHash, recovered.StableHash);
        await faulty.WaitUntilAsync(() => faulty.Weights() == (100, 0) && faulty.SelectorHash(TestCluster.StableService) == recovered.StableHash,
            "the faulty cluster's traffic on revision 2"); // Healthy comes with the promotion, the switch right after
        foreach (var cluster in healthy) Assert.Equal((100, 0), cluster.Weights());
    }
}
