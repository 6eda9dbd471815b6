using System.Diagnostics;
using Coordinator.Grains.Tests.Infrastructure;
using Coordinator.KubeSim.Faults;

namespace Coordinator.Grains.Tests;

/// <summary>
/// A seed update across six clusters while the API servers of four misbehave: two answer 10 % of requests with 500,
/// 2 % with 429 (Retry-After: 1), 5 % of writes with 409 and every request 150 ± 100 ms late; one refuses every
/// request for 20 s; one accepts requests and does not answer for a while. Every cluster must end exactly as an
/// update without faults ends, having gone through every step's weight in order, and the two clean clusters must keep
/// their pace: the faulty clusters' retries, timeouts and open circuits cost them nothing.
/// </summary>
[Collection(CoordinatorCollection.Name)]
public sealed class ChaosTests(CoordinatorFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Yellow = "argoproj/rollouts-demo:yellow";

    /// <summary>The seed's three 30 s pauses, shortened so that the update takes seconds.</summary>
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(2);

    /// <summary>The 20 s outage, real length: the test still ends well within a minute.</summary>
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(20);

    /// <summary>Longer than an attempt (5 s by default): hung calls time out, reads are retried, writes fail and are re-planned.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(7);

    /// <summary>How much later than its pause a clean cluster's next step may come.</summary>
    private static readonly TimeSpan StepLagBound = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Every_cluster_ends_as_without_faults_and_the_clean_clusters_keep_their_pace()
    {
        var clusters = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => fixture.NewClusterAsync()));
        var oldHashes = await Task.WhenAll(clusters.Select(c => c.ApplyHealthyAsync(Manifests.FastSeedRollout($"{Pause.TotalSeconds:0}s"))));
        var (clean, flaky, unreachable, hanging) = (clusters[..2], clusters[2..4], clusters[4], clusters[5]);

        var clock = Stopwatch.StartNew();
        var histories = clusters.Select(c => new WeightHistory(c, clock)).ToList();
        try
        {
            for (var i = 0; i < flaky.Length; i++)
            {
                flaky[i].Sim.Faults.Set(new FaultSettings
                {
                    ErrorRate500 = 0.10, ErrorRate429 = 0.02, RetryAfterSeconds = 1, ConflictRateOnWrites = 0.05,
                    Latency = TimeSpan.FromMilliseconds(50), LatencyJitter = TimeSpan.FromMilliseconds(200), // 150 ± 100 ms
                    Seed = 12 + i,
                });
            }
            unreachable.Sim.Faults.SetFor(new FaultSettings { Unreachable = UnreachableMode.Refuse }, Outage);
            hanging.Sim.Faults.SetFor(new FaultSettings { Unreachable = UnreachableMode.Hang }, Hang);

            foreach (var cluster in clusters) cluster.SetImage(Yellow);

            var healthy = await Task.WhenAll(clusters.Select(c => c.WaitForAsync(
                s => s.Phase == "Healthy" && s.Revision == 2 && s.StableHash == s.CurrentPodHash, "revision 2 healthy", TimeSpan.FromSeconds(50))));
            var newHash = healthy[0].StableHash;
            Assert.All(healthy, s => Assert.Equal(newHash, s.StableHash));
            Assert.True(clock.Elapsed > Outage, "the unreachable cluster finished while it could not be reached");

            for (var i = 0; i < clusters.Length; i++)
            {
                var (cluster, oldRs) = (clusters[i], $"rollouts-demo-{oldHashes[i]}");
                await cluster.WaitUntilAsync(() => cluster.RolloutReplicaSets().Any(rs => rs["metadata"]!["name"]!.GetValue<string>() == oldRs
                                                                                         && rs["spec"]!["replicas"]!.GetValue<int>() == 0),
                    $"{oldRs} scaled to 0");
                Assert.Equal((100, 0), cluster.Weights());
                Assert.Equal(newHash, cluster.SelectorHash(TestCluster.StableService));
                Assert.Equal(newHash, cluster.SelectorHash(TestCluster.CanaryService));
                Assert.Equal(new[] { oldRs, $"rollouts-demo-{newHash}" }.Order(StringComparer.Ordinal),
                    cluster.RolloutReplicaSets().Select(rs => rs["metadata"]!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
                Assert.Equal(1, cluster.Replicas(newHash));

                // Every step's weight, in order, each once: no step skipped, repeated or undone by a retried write.
                var weights = histories[i].Writes.Select(w => (w.Stable, w.Canary)).ToList();
                Assert.True(weights.SequenceEqual([(100, 0), (95, 5), (80, 20), (20, 80), (0, 100), (100, 0)]), histories[i].ToString());
            }

            foreach (var history in histories) output.WriteLine(history.ToString());

            // The clean clusters' steps follow their pauses as they would alone.
            foreach (var history in histories.Take(clean.Length))
            {
                var writes = history.Writes;
                for (var step = 1; step <= 3; step++) // 95/5 -> 80/20 -> 20/80 -> 0/100: each after one pause
                {
                    var gap = writes[step + 1].At - writes[step].At;
                    // The pause is timed by the grain from when it reached the step, which can be a little before the
                    // write's commit seen here; the bound that matters is the upper one.
                    Assert.True(gap >= Pause / 2 && gap <= Pause + StepLagBound,
                        $"step after {writes[step]} came {gap.TotalSeconds:0.000}s later (pause {Pause.TotalSeconds}s)\n{history}");
                }
            }
        }
        finally
        {
            foreach (var history in histories) history.Dispose();
            foreach (var cluster in clusters) cluster.Sim.Faults.Clear();
        }
    }
}
