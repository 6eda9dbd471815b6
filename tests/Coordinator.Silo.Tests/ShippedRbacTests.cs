extern alias cli;
using System.Text.RegularExpressions;
using Coordinator.Testing;
using cli::Coordinator.Grpc.V1;

namespace Coordinator.Silo.Tests;

/// <summary>
/// Acceptance: the coordinator runs the seed scenario in clusters that enforce RBAC, with nothing but the permissions of
/// deploy/kubernetes/target-cluster/rbac.yaml (pod writes included: ephemeral metadata and restartAt); with one permission taken away, the refusal is shown by name, never hidden.
/// </summary>
public sealed class ShippedRbacTests(ShippedRbacFixture fixture) : IClassFixture<ShippedRbacFixture>
{
    /// <summary>
    /// The seed Rollout (deploy/examples/seed/rollout.yaml), its first pause made indefinite (to look at both revisions'
    /// pods, then promote) and the others 1 s instead of 30 s.
    /// </summary>
    private static string Manifest()
    {
        var seed = Manifests.SeedRollout;
        const string Pause = "pause: { duration: 30s }";
        var first = seed.IndexOf(Pause, StringComparison.Ordinal);
        Assert.True(first >= 0, "the seed Rollout no longer has 30 s pauses");
        return (seed[..first] + "pause: {}" + seed[(first + Pause.Length)..]).Replace(Pause, "pause: { duration: 1s }", StringComparison.Ordinal);
    }

    private static readonly string Forbidden =
        $"pods is forbidden: User \"system:serviceaccount:{ShippedRbacFixture.Account}:{ShippedRbacFixture.Account}\" cannot list resource \"pods\" in API group \"\" in the namespace \"test\"";

    private async Task ApplyHealthyAsync(string cluster, string? manifest = null)
    {
        var file = Path.Combine(Path.GetTempPath(), $"rollout-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, manifest ?? Manifest());
        var apply = await fixture.CliAsync("apply", "-f", file, "-n", "test", "--cluster", cluster);
        File.Delete(file);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        var status = await fixture.CliAsync("status", "rollouts-demo", "-n", "test", "--cluster", cluster, "--timeout", "60s");
        Assert.True(status.ExitCode == 0, status.ToString());
    }

    private ClusterRollout Get(string cluster) =>
        fixture.Grpc.GetRollout(new RolloutRequest { Name = "rollouts-demo", Namespace = "test", Target = new Target { Clusters = { cluster } } }).Clusters.Single();

    [Fact]
    public async Task The_seed_scenario_reaches_healthy_with_only_the_shipped_rbac_and_the_tree_shows_pods()
    {
        await ApplyHealthyAsync("full");
        var blue = Get("full").StableHash;

        var setImage = await fixture.CliAsync("set", "image", "rollouts-demo", "rollouts-demo=argoproj/rollouts-demo:yellow", "-n", "test", "--cluster", "full");
        Assert.True(setImage.ExitCode == 0, setImage.ToString());
        await SiloFixture.WaitUntilAsync(() => Get("full") is { Phase: "Paused", CurrentStepIndex: 1 } r && r.CurrentPodHash != r.StableHash,
            "full: paused on the canary at the first step");

        var get = await fixture.CliAsync("get", "rollout", "rollouts-demo", "-n", "test", "--cluster", "full");
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.DoesNotContain("Warning:", get.Stdout);
        var canary = Get("full").CurrentPodHash;
        foreach (var hash in new[] { blue, canary })
            Assert.Matches(new Regex($@"□ rollouts-demo-{hash}-[a-z0-9]{{5}}\s+Pod\s+✔ Running\s+\d+[smh]\s+ready:2/2"), get.Stdout);

        var promote = await fixture.CliAsync("promote", "rollouts-demo", "-n", "test", "--cluster", "full");
        Assert.True(promote.ExitCode == 0, promote.ToString());
        var status = await fixture.CliAsync("status", "rollouts-demo", "-n", "test", "--cluster", "full", "--timeout", "60s");
        Assert.True(status.ExitCode == 0, status.ToString());
        var cluster = fixture.Kube["full"];
        await SiloFixture.WaitUntilAsync(() => cluster.Traffic("test", "rollouts-demo.local").ShareOf("argoproj/rollouts-demo:yellow") > 0.999,
            "full: all traffic on yellow");
        Assert.Equal(canary, Get("full").StableHash);
        Assert.Empty(Get("full").PodsError);
    }

    [Fact]
    public async Task Ephemeral_metadata_patches_and_restartAt_evicts_running_pods_with_only_the_shipped_rbac()
    {
        const string Cluster = "podwrites";
        await ApplyHealthyAsync(Cluster);
        var sim = fixture.Kube[Cluster];
        var hash = Get(Cluster).StableHash;
        List<System.Text.Json.Nodes.JsonObject> Pods() => [.. sim.List("pods", "test", $"rollouts-pod-template-hash={hash}")];
        string? Role(System.Text.Json.Nodes.JsonObject pod) => pod["metadata"]?["labels"]?["role"]?.GetValue<string>();
        var original = Assert.Single(Pods());
        Assert.Null(Role(original));

        // stableMetadata added to a running rollout: the running pod is patched (pods patch).
        var withMetadata = Manifest().Replace("    canary:\n", "    canary:\n      stableMetadata: { labels: { role: stable } }\n", StringComparison.Ordinal);
        await ApplyHealthyAsync(Cluster, withMetadata);
        await SiloFixture.WaitUntilAsync(() => Pods().Any(p => Role(p) == "stable"), "podwrites: the running pod labelled stable");
        var originalName = original["metadata"]!["name"]!.GetValue<string>();
        Assert.Equal(originalName, Assert.Single(Pods())["metadata"]!["name"]!.GetValue<string>());

        // restartAt just after the pod was created: it is evicted (pods/eviction) and replaced with the stable label.
        var created = DateTimeOffset.Parse(original["metadata"]!["creationTimestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var restartAt = created.AddSeconds(1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        await ApplyHealthyAsync(Cluster, withMetadata.Replace("spec:\n", $"spec:\n  restartAt: \"{restartAt}\"\n", StringComparison.Ordinal));
        await SiloFixture.WaitUntilAsync(() => sim.Get("pods", "test", originalName) is null && Pods().Count == 1 && Role(Pods()[0]) == "stable",
            "podwrites: the pod restarted");
        var log = ReadLog();
        Assert.DoesNotContain("cannot patch resource \"pods\"", log, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot create resource \"pods/eviction\"", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_pods_permission_the_tree_reply_and_log_name_the_refused_call()
    {
        await ApplyHealthyAsync("nopods");

        var reply = Get("nopods");
        Assert.Contains(Forbidden, reply.PodsError);
        Assert.All(reply.ReplicaSets, rs => Assert.Empty(rs.Pods));

        var get = await fixture.CliAsync("get", "rollout", "rollouts-demo", "-n", "test", "--cluster", "nopods");
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Contains("Warning:         pods not shown: list pods in test: 403 " + Forbidden, get.Stdout);

        await SiloFixture.WaitUntilAsync(() => ReadLog().Contains(Forbidden, StringComparison.Ordinal), "the silo logs the refused pod list");
    }

    private string ReadLog()
    {
        if (!File.Exists(fixture.LogFile)) return "";
        using var stream = new FileStream(fixture.LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }
}
