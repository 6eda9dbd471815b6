using System.Globalization;
using System.Text.Json.Nodes;
using Coordinator.Abstractions;
using Coordinator.Grains.Tests.Infrastructure;
using static Coordinator.Grains.Tests.Infrastructure.TestCluster;

namespace Coordinator.Grains.Tests;

/// <summary>
/// <c>spec.restartAt</c> (issue 10), as Argo's pod restarter: every pod created before restartAt is evicted and replaced,
/// one at a time under maxUnavailable (pods here turn Ready only when the test says so), then status.restartedAt is set.
/// </summary>
[Collection(ManualPodsCollection.Name)]
public sealed class RestartAtTests(ManualPodsFixture fixture)
{
    [Fact]
    public async Task Pods_created_before_restartAt_are_evicted_one_at_a_time_and_restartedAt_is_recorded()
    {
        var cluster = await fixture.NewClusterAsync();
        // 3 replicas: maxSurge 25% rounds up to 1, maxUnavailable 25% down to 0, so restarts go one pod at a time.
        var manifest = Manifests.FastSeedRollout().Replace("replicas: 1", "replicas: 3");
        await cluster.Rollout().Apply(manifest);
        var hash = (await cluster.WaitForAsync(s => s.StableHash != "", "revision 1 promoted")).StableHash;
        await cluster.WaitUntilAsync(() =>
        {
            cluster.MakePodsReady($"rollouts-pod-template-hash={hash}");
            return ReadyPods(cluster, hash).Count == 3;
        }, "three ready pods");
        await cluster.WaitForAsync(s => s.Phase == "Healthy" && s.Replicas.Available == 3, "healthy with three pods");
        var original = RolloutPods(cluster, hash).Select(Name).ToHashSet();

        // Whole seconds, as kubectl writes it; just after the newest pod, so a restart can never pick a replacement.
        var restartAt = RolloutPods(cluster, hash).Max(Created).AddSeconds(1);
        var text = restartAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        await cluster.Rollout().Apply(manifest.Replace("spec:\n", $"spec:\n  restartAt: \"{text}\"\n"));

        var restarted = new List<string>();
        while (restarted.Count < 3)
        {
            // The next pod goes only once the previous replacement is Ready: never two pods down at once.
            await cluster.WaitUntilAsync(() => original.Count(o => !Exists(cluster, o)) == restarted.Count + 1, $"restart {restarted.Count + 1}");
            restarted.Add(original.Single(o => !Exists(cluster, o) && !restarted.Contains(o)));
            await cluster.WaitUntilAsync(() => RolloutPods(cluster, hash).Count == 3, "the replacement pod");
            Assert.Equal(2, ReadyPods(cluster, hash).Count);
            Assert.Equal(2 - (restarted.Count - 1), RolloutPods(cluster, hash).Count(p => original.Contains(Name(p))));
            cluster.MakePodsReady();
        }

        var done = await cluster.WaitForAsync(s => s.RestartedAt is not null, "restartedAt recorded");
        Assert.Equal(restartAt, done.RestartedAt);
        var pods = RolloutPods(cluster, hash);
        Assert.Equal(3, pods.Count);
        Assert.All(pods, p => Assert.DoesNotContain(Name(p), original));
        Assert.All(pods, p => Assert.True(Created(p) >= restartAt, $"{Name(p)} created {Created(p)}"));
        Assert.Equal(original.Order(), restarted.Order());
    }

    private static List<JsonObject> RolloutPods(TestCluster cluster, string hash) =>
        [.. cluster.Sim.List("pods", Namespace, $"rollouts-pod-template-hash={hash}").Where(p => p["metadata"]?["deletionTimestamp"] is null)];

    private static List<JsonObject> ReadyPods(TestCluster cluster, string hash) =>
        [.. RolloutPods(cluster, hash).Where(p => p["status"]?["phase"]?.GetValue<string>() == "Running")];

    private static bool Exists(TestCluster cluster, string pod) => cluster.Sim.Get("pods", Namespace, pod) is not null;

    private static string Name(JsonObject pod) => pod["metadata"]!["name"]!.GetValue<string>();

    private static DateTimeOffset Created(JsonObject pod) =>
        DateTimeOffset.Parse(pod["metadata"]!["creationTimestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
