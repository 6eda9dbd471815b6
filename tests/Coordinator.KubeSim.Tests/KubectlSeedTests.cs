using System.Text.Json;
using Coordinator.KubeSim.Hosting;
using Coordinator.KubeSim.Tests.Support;

namespace Coordinator.KubeSim.Tests;

/// <summary>The seed experiment's own kubectl commands, run with the installed kubectl and no extra flags.</summary>
public sealed class KubectlSeedTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string[] Columns(string line) => line.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static Task<(SimCluster Cluster, Kubectl Kubectl)> SeededAsync(ServerFixture fixture) => Kubectl.SeededClusterAsync(fixture);

    [Fact]
    public async Task Create_and_get_print_what_the_seed_log_shows()
    {
        var (_, kubectl) = await SeededAsync(fixture);
        using var _ = kubectl;

        var pods = Lines((await kubectl.RunAsync("-n test get po")).Stdout);
        Assert.Equal(["NAME", "READY", "STATUS", "RESTARTS", "AGE"], Columns(pods[0]));
        Assert.Matches("^rollouts-demo-[a-z0-9]+-[a-z0-9]{5}$", Columns(pods[1])[0]);
        Assert.Equal(["2/2", "Running", "0"], Columns(pods[1])[1..4]);

        var rs = Lines((await kubectl.RunAsync("-n test get -owide replicasets.apps")).Stdout);
        Assert.Equal(["NAME", "DESIRED", "CURRENT", "READY", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"], Columns(rs[0]));
        var rsRow = Columns(rs[1]);
        var hash = rsRow[0]["rollouts-demo-".Length..];
        Assert.Equal(["1", "1", "1"], rsRow[1..4]);
        Assert.Equal(["rollouts-demo", "argoproj/rollouts-demo:blue", $"app=rollouts-demo,pod-template-hash={hash}"], rsRow[5..]);

        var deploy = Lines((await kubectl.RunAsync("-n test get -owide deployments.apps")).Stdout);
        Assert.Equal(["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"], Columns(deploy[0]));
        var deployRow = Columns(deploy[1]);
        Assert.Equal(["rollouts-demo", "1/1", "1", "1"], deployRow[..4]);
        Assert.Equal(["rollouts-demo", "argoproj/rollouts-demo:blue", "app=rollouts-demo"], deployRow[5..]);

        var svc = Lines((await kubectl.RunAsync("-n test get -owide svc")).Stdout);
        Assert.Equal(["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"], Columns(svc[0]));
        Assert.Equal(["rollouts-demo", "rollouts-demo-canary"], svc[1..].Select(l => Columns(l)[0]).ToArray());
        Assert.All(svc[1..], l =>
        {
            var c = Columns(l);
            Assert.Equal("ClusterIP", c[1]);
            Assert.Matches(@"^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$", c[2]);
            Assert.Equal(["<none>", "80/TCP"], c[3..5]);
            Assert.Equal("app=rollouts-demo", c[6]);
        });

        var vs = Lines((await kubectl.RunAsync("-n test get -owide virtualservices.networking.istio.io")).Stdout);
        Assert.Equal(["NAME", "GATEWAYS", "HOSTS", "AGE"], Columns(vs[0]));
        Assert.Equal(["rollouts-demo", "[rollouts-demo-gateway]", "[rollouts-demo.local]"], Columns(vs[1])[..3]);

        var json = await kubectl.RunAsync("-n test get virtualservices.networking.istio.io rollouts-demo -ojson");
        var http0 = JsonDocument.Parse(json.Stdout).RootElement.GetProperty("spec").GetProperty("http")[0];
        Assert.Equal("primary", http0.GetProperty("name").GetString());
        Assert.Equal(("rollouts-demo", 100), (http0.GetProperty("route")[0].GetProperty("destination").GetProperty("host").GetString(), http0.GetProperty("route")[0].GetProperty("weight").GetInt32()));
        Assert.Equal(("rollouts-demo-canary", 0), (http0.GetProperty("route")[1].GetProperty("destination").GetProperty("host").GetString(), http0.GetProperty("route")[1].GetProperty("weight").GetInt32()));

        var dr = await kubectl.RunAsync("-n test get -owide destinationrules.networking.istio.io");
        Assert.Equal(0, dr.ExitCode);
        Assert.Contains("No resources found in test namespace.", dr.Stderr);

        var events = Lines((await kubectl.RunAsync("-n test get events")).Stdout);
        Assert.Equal(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], Columns(events[0]));
        Assert.Contains(events, l => l.Contains($"Scaled up replica set rollouts-demo-{hash} from 0 to 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Set_image_rolls_the_deployment_to_a_new_replicaset()
    {
        var (cluster, kubectl) = await SeededAsync(fixture);
        using var _ = kubectl;
        var blue = cluster.List("rs", "test").Single()["metadata"]!["name"]!.GetValue<string>();

        var set = await kubectl.RunAsync("-n test set image deployment rollouts-demo rollouts-demo=argoproj/rollouts-demo:yellow");
        Assert.True(set.ExitCode == 0, set.Output);
        Assert.Contains("deployment.apps/rollouts-demo image updated", set.Stdout);

        await Eventually.TrueAsync(() =>
        {
            var sets = cluster.List("rs", "test");
            return sets.Count == 2 && sets.All(s => s["status"]?["replicas"]?.GetValue<long>() == s["spec"]!["replicas"]!.GetValue<long>())
                   && sets.Single(s => (string?)s["metadata"]!["name"] == blue)["spec"]!["replicas"]!.GetValue<long>() == 0;
        }, "old RS scaled to 0");

        var rs = Lines((await kubectl.RunAsync("-n test get -owide replicasets.apps")).Stdout);
        Assert.Equal(3, rs.Length);
        var yellow = rs[1..].Select(Columns).Single(c => c[6] == "argoproj/rollouts-demo:yellow");
        Assert.Equal(["1", "1"], yellow[1..3]);
        Assert.Equal("0", rs[1..].Select(Columns).Single(c => c[0] == blue)[1]);
        Assert.Equal($"app=rollouts-demo,pod-template-hash={yellow[0]["rollouts-demo-".Length..]}", yellow[7]);
    }

    [Fact]
    public async Task Delete_removes_the_deployment_and_what_it_owns()
    {
        var (cluster, kubectl) = await SeededAsync(fixture);
        using var _ = kubectl;

        var deleted = await kubectl.RunAsync($"-n test delete -f {Kubectl.SeedFile("deployments.yaml")}");
        Assert.True(deleted.ExitCode == 0, deleted.Output);
        Assert.Contains("deployment.apps \"rollouts-demo\" deleted", deleted.Stdout);

        var vs = await kubectl.RunAsync("-n test delete virtualservices.networking.istio.io rollouts-demo");
        Assert.Contains("virtualservice.networking.istio.io \"rollouts-demo\" deleted", vs.Stdout);

        var left = await kubectl.RunAsync("-n test get deploy,rs,po,vs");
        Assert.Contains("No resources found in test namespace.", left.Stderr);
        Assert.Equal(2, cluster.List("svc", "test").Count);
    }
}
