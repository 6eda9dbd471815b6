extern alias cli;
using System.Text.RegularExpressions;
using cli::Coordinator.Grpc.V1;
using Coordinator.Testing;
using Grpc.Core;

namespace Coordinator.Silo.Tests;

/// <summary>
/// Drives the real silo with rolloutctl and gRPC through a whole canary on the three simulated clusters
/// of the embedded fleet, asserting CLI output, exit codes and what the clusters show.
/// </summary>
public sealed class RolloutFlowTests(SiloFixture silo) : IClassFixture<SiloFixture>
{
    private static readonly string[] Clusters = ["dev", "prod", "staging"];

    /// <summary>The seed Rollout with an indefinite pause to promote through, and 1 s pauses elsewhere.</summary>
    private static readonly string Manifest = Manifests.Rollout(
        steps: ["setWeight: 20", "pause: {}", "setWeight: 60", "pause: { duration: 1s }", "setWeight: 100"],
        abortScaleDownDelaySeconds: 1, @namespace: "test");

    [Fact]
    public async Task Apply_set_image_promote_abort_retry_and_delete_across_three_clusters()
    {
        var file = Path.Combine(Path.GetTempPath(), $"rollout-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, Manifest);

        var apply = await silo.CliAsync("apply", "-f", file);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Contains("rollout 'rollouts-demo' applied", apply.Stdout);
        foreach (var cluster in Clusters) Assert.Contains(cluster, apply.Stdout);

        var status = await silo.CliAsync("status", "rollouts-demo", "-n", "test", "--timeout", "60s");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("Healthy", status.Stdout);
        var blue = StableHashes();
        foreach (var cluster in Clusters)
        {
            // The Services are switched once revision 1 is fully available, which may come just after Healthy.
            await SiloFixture.WaitUntilAsync(() => Selector(cluster, "rollouts-demo-canary") == blue[cluster], $"{cluster}: canary Service on revision 1");
            Assert.Equal(blue[cluster], Selector(cluster, "rollouts-demo"));
        }

        // Update: every cluster stops at the indefinite pause with 20 % on yellow.
        var setImage = await silo.CliAsync("set", "image", "rollouts-demo", "rollouts-demo=argoproj/rollouts-demo:yellow", "-n", "test");
        Assert.True(setImage.ExitCode == 0, setImage.ToString());
        Assert.Contains("deployment \"rollouts-demo\" image updated", setImage.Stdout);
        await WatchUntilAllAsync(r => r.Phase == "Paused" && r.CurrentStepIndex == 1);
        foreach (var cluster in Clusters) Assert.Equal((80, 20), Weights(cluster));

        var get = await silo.CliAsync("get", "rollout", "rollouts-demo", "-n", "test", "--cluster", "dev");
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Contains("॥ Paused", get.Stdout);
        Assert.Contains("Step:          1/5", get.Stdout);
        Assert.Contains("SetWeight:     20", get.Stdout);
        Assert.Contains("argoproj/rollouts-demo:yellow (canary)", get.Stdout);
        Assert.Contains("argoproj/rollouts-demo:blue (stable)", get.Stdout);
        // Each revision's ReplicaSet has its pod right under it, Running with the app and the istio-proxy sidecar ready.
        var canary = silo.Grpc.GetRollout(new RolloutRequest { Name = "rollouts-demo", Namespace = "test", Target = new Target { Clusters = { "dev" } } })
            .Clusters.Single().CurrentPodHash;
        foreach (var hash in new[] { blue["dev"], canary })
            Assert.Matches(new Regex($@"⧉ rollouts-demo-{hash}\s+ReplicaSet [^
]*
[│ ]*└──□ rollouts-demo-{hash}-[a-z0-9]{{5}}\s+Pod\s+✔ Running\s+\d+[smh]\s+ready:2/2
"), get.Stdout);
        Assert.Matches(new Regex(@"⟳ rollouts-demo\s+Rollout\s+॥ Paused\s+\d+[sm]
"), get.Stdout);

        var promote = await silo.CliAsync("promote", "rollouts-demo", "-n", "test");
        Assert.True(promote.ExitCode == 0, promote.ToString());
        Assert.Contains("rollout 'rollouts-demo' promoted", promote.Stdout);
        status = await silo.CliAsync("status", "rollouts-demo", "-n", "test", "--timeout", "60s");
        Assert.True(status.ExitCode == 0, status.ToString());
        var yellow = StableHashes();
        foreach (var cluster in Clusters)
        {
            Assert.NotEqual(blue[cluster], yellow[cluster]);
            // Healthy comes with the promotion; the stable switch and the 100/0 write follow it (as in Argo).
            await SiloFixture.WaitUntilAsync(() => Weights(cluster) == (100, 0) && Selector(cluster, "rollouts-demo") == yellow[cluster],
                $"{cluster}: stable Service and traffic on yellow");
            Assert.Equal(1.0, silo.Fleet[cluster].Traffic("test", "rollouts-demo.local").ShareOf("argoproj/rollouts-demo:yellow"), 3);
        }

        // Abort sends everything back to yellow; the rollout is Degraded until retried.
        await silo.CliAsync("set", "image", "rollouts-demo", "rollouts-demo=argoproj/rollouts-demo:red", "-n", "test");
        await WatchUntilAllAsync(r => r.Phase == "Paused" && r.CurrentStepIndex == 1 && r.CurrentPodHash != r.StableHash);
        var abort = await silo.CliAsync("abort", "rollouts-demo", "-n", "test");
        Assert.True(abort.ExitCode == 0, abort.ToString());
        Assert.Contains("rollout 'rollouts-demo' aborted", abort.Stdout);
        status = await silo.CliAsync("status", "rollouts-demo", "-n", "test", "--timeout", "30s");
        Assert.Equal(1, status.ExitCode);
        Assert.Contains("degraded state", status.Stderr + status.Stdout);
        foreach (var cluster in Clusters)
        {
            await SiloFixture.WaitUntilAsync(() => Weights(cluster) == (100, 0) && Selector(cluster, "rollouts-demo-canary") == yellow[cluster],
                $"{cluster}: traffic back on the stable revision after abort");
        }

        var retry = await silo.CliAsync("retry", "rollout", "rollouts-demo", "-n", "test");
        Assert.True(retry.ExitCode == 0, retry.ToString());
        Assert.Contains("rollout 'rollouts-demo' retried", retry.Stdout);
        await WatchUntilAllAsync(r => r.Phase == "Paused" && r.CurrentStepIndex == 1 && !r.Aborted);
        await silo.CliAsync("promote", "rollouts-demo", "-n", "test", "--full");
        status = await silo.CliAsync("status", "rollouts-demo", "-n", "test", "--timeout", "60s");
        Assert.True(status.ExitCode == 0, status.ToString());
        foreach (var cluster in Clusters)
            Assert.Equal(1.0, silo.Fleet[cluster].Traffic("test", "rollouts-demo.local").ShareOf("argoproj/rollouts-demo:red"), 3);

        var list = await silo.CliAsync("list", "rollouts", "-n", "test");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Equal(3, list.Stdout.Split('\n').Count(l => l.StartsWith("rollouts-demo", StringComparison.Ordinal)));

        // Deletion hands traffic back to the Deployment's pods in every cluster.
        var delete = await silo.CliAsync("delete", "rollouts-demo", "-n", "test");
        Assert.True(delete.ExitCode == 0, delete.ToString());
        Assert.Contains("rollout \"rollouts-demo\" deleted", delete.Stdout);
        foreach (var cluster in Clusters)
        {
            await SiloFixture.WaitUntilAsync(() => silo.Fleet[cluster].List("replicasets", "test", "rollouts-pod-template-hash").Count == 0,
                $"{cluster}: the rollout's ReplicaSets are gone");
            Assert.Null(Selector(cluster, "rollouts-demo"));
            Assert.Null(Selector(cluster, "rollouts-demo-canary"));
            Assert.Equal(0, silo.Fleet[cluster].Traffic("test", "rollouts-demo.local").ErrorShare);
        }
        list = await silo.CliAsync("list", "rollouts", "-n", "test");
        Assert.DoesNotContain("rollouts-demo ", list.Stdout);
    }

    private Dictionary<string, string> StableHashes() =>
        silo.Grpc.GetRollout(new RolloutRequest { Name = "rollouts-demo", Namespace = "test" })
            .Clusters.ToDictionary(c => c.Cluster, c => c.StableHash);

    private string? Selector(string cluster, string service) =>
        silo.Fleet[cluster].Get("services", "test", service)?["spec"]?["selector"]?["rollouts-pod-template-hash"]?.GetValue<string>();

    private (int Stable, int Canary) Weights(string cluster)
    {
        var route = silo.Fleet[cluster].Get("virtualservices.networking.istio.io", "test", "rollouts-demo")!["spec"]!["http"]![0]!["route"]!.AsArray();
        return (route[0]!["weight"]!.GetValue<int>(), route[1]!["weight"]!.GetValue<int>());
    }

    /// <summary>Follows the gRPC watch stream until every target cluster's rollout satisfies the condition.</summary>
    private async Task WatchUntilAllAsync(Func<ClusterRollout, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var call = silo.Grpc.WatchRollout(new RolloutRequest { Name = "rollouts-demo", Namespace = "test" }, cancellationToken: timeout.Token);
        var latest = new Dictionary<string, ClusterRollout>();
        try
        {
            await foreach (var reply in call.ResponseStream.ReadAllAsync(timeout.Token))
            {
                foreach (var cluster in reply.Clusters) latest[cluster.Cluster] = cluster;
                if (latest.Count == Clusters.Length && latest.Values.All(condition)) return;
            }
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled)
        {
        }
        throw new TimeoutException("not every cluster reached the state: " + string.Join("; ", latest.Values.Select(r => $"{r.Cluster} {r.Phase} step {r.CurrentStepIndex} {r.Message}")));
    }
}
