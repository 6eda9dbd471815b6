using Coordinator.KubeSim.Tests.Support;

namespace Coordinator.KubeSim.Tests;

/// <summary>kubectl apply, patch (merge, json, strategic) and scale against a simulated cluster.</summary>
public sealed class KubectlEditTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Apply_creates_then_configures()
    {
        var cluster = fixture.NewCluster("apply");
        using var kubectl = new Kubectl(fixture.Server, cluster);

        var first = await kubectl.RunAsync($"-n test apply -f {Kubectl.SeedFile("deployments.yaml")}");
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("deployment.apps/rollouts-demo created", first.Stdout);

        var manifest = File.ReadAllText(Kubectl.SeedFile("deployments.yaml")).Replace("replicas: 1", "replicas: 2").Replace(":blue", ":green");
        var second = await kubectl.RunAsync("-n test apply -f -", stdin: manifest);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("deployment.apps/rollouts-demo configured", second.Stdout);

        var d = cluster.Get("deploy", "test", "rollouts-demo")!;
        Assert.Equal(2, d["spec"]!["replicas"]!.GetValue<long>());
        Assert.Equal("argoproj/rollouts-demo:green", d["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.NotNull(d["metadata"]!["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"]);

        var vs = await kubectl.RunAsync($"-n test apply -f {Kubectl.SeedFile("virtualsvc.yaml")}");
        Assert.True(vs.ExitCode == 0, vs.Output);
        var again = await kubectl.RunAsync($"-n test apply -f {Kubectl.SeedFile("virtualsvc.yaml")}");
        Assert.Contains("virtualservice.networking.istio.io/rollouts-demo unchanged", again.Stdout);
    }

    [Fact]
    public async Task Patch_merge_json_and_strategic()
    {
        var cluster = fixture.NewCluster("patch");
        using var kubectl = new Kubectl(fixture.Server, cluster);
        Assert.Equal(0, (await kubectl.RunAsync($"-n test create -f {Kubectl.SeedFile("virtualsvc.yaml")}")).ExitCode);
        Assert.Equal(0, (await kubectl.RunAsync($"-n test create -f {Kubectl.SeedFile("services.yaml")}")).ExitCode);

        var json = await kubectl.RunAsync("""-n test patch virtualservice rollouts-demo --type json -p '[{"op":"replace","path":"/spec/http/0/route/0/weight","value":95},{"op":"replace","path":"/spec/http/0/route/1/weight","value":5}]'""");
        Assert.True(json.ExitCode == 0, json.Output);
        Assert.Contains("virtualservice.networking.istio.io/rollouts-demo patched", json.Stdout);
        Assert.Equal(5, cluster.Get("vs", "test", "rollouts-demo")!["spec"]!["http"]![0]!["route"]![1]!["weight"]!.GetValue<long>());

        var merge = await kubectl.RunAsync("""-n test patch svc rollouts-demo-canary --type merge -p '{"spec":{"selector":{"rollouts-pod-template-hash":"abc"}}}'""");
        Assert.True(merge.ExitCode == 0, merge.Output);
        var strategic = await kubectl.RunAsync("""-n test patch svc rollouts-demo -p '{"metadata":{"labels":{"tier":"web"}}}'""");
        Assert.True(strategic.ExitCode == 0, strategic.Output);

        var svc = (await kubectl.RunAsync("-n test get svc -owide")).Stdout;
        Assert.Contains("app=rollouts-demo,rollouts-pod-template-hash=abc", svc);
        Assert.Equal("web", cluster.Get("svc", "test", "rollouts-demo")!["metadata"]!["labels"]!["tier"]!.GetValue<string>());

        var failed = await kubectl.RunAsync("""-n test patch virtualservice rollouts-demo --type json -p '[{"op":"test","path":"/spec/http/0/route/0/weight","value":1}]'""");
        Assert.NotEqual(0, failed.ExitCode);
    }

    [Fact]
    public async Task Scale_changes_replicas_and_the_controller_follows()
    {
        var cluster = fixture.NewCluster("scale");
        using var kubectl = new Kubectl(fixture.Server, cluster);
        Assert.Equal(0, (await kubectl.RunAsync($"-n test create -f {Kubectl.SeedFile("deployments.yaml")}")).ExitCode);

        var scaled = await kubectl.RunAsync("-n test scale deployment rollouts-demo --replicas=3");
        Assert.True(scaled.ExitCode == 0, scaled.Output);
        Assert.Contains("deployment.apps/rollouts-demo scaled", scaled.Stdout);

        await Eventually.TrueAsync(() => cluster.Get("deploy", "test", "rollouts-demo")!["status"]?["readyReplicas"]?.GetValue<long>() == 3, "3 ready");
        var deploy = (await kubectl.RunAsync("-n test get deploy")).Stdout;
        Assert.Contains("3/3", deploy);
        Assert.Equal(3, cluster.List("po", "test").Count);
    }
}
