using Coordinator.Abstractions;
using Coordinator.Grains.Tests.Infrastructure;
using static Coordinator.Grains.Tests.Infrastructure.TestCluster;

namespace Coordinator.Grains.Tests;

/// <summary>
/// Every refusal reachable through Apply and Check (ROLLOUT-BEHAVIOUR §1.4, plus the coordinator's own): the command
/// fails with InvalidArgument and a message naming the field, and nothing at all is written to the cluster.
/// </summary>
[Collection(CoordinatorCollection.Name)]
public sealed class ValidationTests(CoordinatorFixture fixture)
{
    private static string Seed => Manifests.FastSeedRollout();

    private static string Steps(params string[] steps) => Manifests.Rollout(steps: steps);

    private static string Spec(params string[] lines) => Manifests.Rollout(spec: lines);

    private static string Canary(params string[] lines) => Manifests.Rollout(canary: lines);

    /// <summary>Rule, manifest, the field the error names, a fragment of Argo's message.</summary>
    public static TheoryData<string, string, string, string> SpecRules => new()
    {
        { "weight 150", Steps("setWeight: 150"), "spec.strategy.steps[0].setWeight", "SetWeight needs to be between 0 and 100" },
        { "negative weight", Steps("setWeight: -1"), "spec.strategy.steps[0].setWeight", "SetWeight needs to be between 0 and 100" },
        { "bad pause duration", Steps("setWeight: 5", "pause: { duration: ten }"), "spec.strategy.steps[1].pause.duration", "Duration needs to be greater than 0" },
        { "negative pause duration", Steps("pause: { duration: -5 }"), "spec.strategy.steps[0].pause.duration", "Duration needs to be greater than 0" },
        { "unknown step kind", Steps("setWeight: 5", "rampUp: 10"), "manifest", "unknown field \"spec.strategy.canary.steps[1].rampUp\"" },
        { "unknown canary field", Canary("foo: 1"), "manifest", "unknown field \"spec.strategy.canary.foo\"" },
        { "empty step", Steps("setWeight: 5", "{}"), "spec.strategy.steps[1]", "Step must have one of the following set" },
        // Issue 10: Argo fields the coordinator does not execute are refused by name, never accepted and ignored.
        { "canary.analysis", Canary("analysis: { templates: [{ templateName: success-rate }] }"), "spec.strategy.canary.analysis", "background analysis is not supported" },
        { "antiAffinity", Canary("antiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { weight: 50 } }"), "spec.strategy.canary.antiAffinity", "antiAffinity is not supported" },
        { "pingPong", Canary("pingPong: { pingService: ping, pongService: pong }"), "spec.strategy.canary.pingPong", "ping-pong services are not supported" },
        { "canaryMetadata label key", Canary("canaryMetadata: { labels: { \"bad key\": canary } }"), "spec.strategy.canary.canaryMetadata.labels", "name part must consist of alphanumeric characters" },
        { "stableMetadata hash label", Canary("stableMetadata: { labels: { rollouts-pod-template-hash: x } }"), "spec.strategy.canary.stableMetadata.labels", "pod-template-hash label is set by the controller" },
        { "unknown canaryMetadata field", Canary("canaryMetadata: { labels: { role: canary }, finalizers: [x] }"), "manifest", "unknown field \"spec.strategy.canary.canaryMetadata.finalizers\"" },
        { "restartAt not a time", Spec("restartAt: tomorrow"), "manifest", "spec.restartAt" },
        { "replicaProgressThreshold", Canary("replicaProgressThreshold: { type: Percent, value: 80 }"), "spec.strategy.canary.replicaProgressThreshold", "replicaProgressThreshold is not supported" },
        { "nginx traffic router", Seed.Replace("      trafficRouting:\n", "      trafficRouting:\n        nginx: { stableIngress: web }\n"), "spec.strategy.canary.trafficRouting.nginx", "traffic router 'nginx' is not supported" },
        { "blueGreen", Seed.Replace("    canary:\n", "    blueGreen: { activeService: rollouts-demo }\n    canary:\n"), "spec.strategy", "Multiple Strategies can not be listed" },
        { "two kinds in a step", Steps("{ setWeight: 5, pause: {} }"), "spec.strategy.steps[0]", "Step must have one of the following set" },
        { "analysis step", Steps("analysis: { templates: [{ templateName: success }] }"), "spec.strategy.canary.steps[0].analysis", "step kind 'analysis' is not supported" },
        { "header route without managedRoutes", Steps("setHeaderRoute: { name: h }"), "spec.strategy.steps[0].setHeaderRoute", "managedRoutes" },
        { "same services", Seed.Replace("canaryService: rollouts-demo-canary", "canaryService: rollouts-demo"), "spec.strategy.stableService", "two different services are required" },
        { "canary service missing", Seed.Replace("      canaryService: rollouts-demo-canary\n", ""), "spec.strategy.trafficRouting", "Canary service and Stable service must to be set" },
        { "surge and unavailable zero", Canary("maxSurge: 0", "maxUnavailable: 0"), "spec.strategy.maxSurge", "MaxSurge and MaxUnavailable both can not be zero" },
        { "dynamicStableScale with delay", Canary("dynamicStableScale: true"), "spec.strategy.dynamicStableScale", "cannot be used with scaleDownDelaySeconds" },
        { "maxTrafficWeight with istio", Seed.Replace("      trafficRouting:\n", "      trafficRouting:\n        maxTrafficWeight: 1000\n"), "spec.strategy.trafficRouting.maxTrafficWeight", "not supported with Istio" },
        { "destinationRule", Seed.Replace("        istio:\n", "        istio:\n          destinationRule: { name: dr, canarySubsetName: c, stableSubsetName: s }\n"), "spec.strategy.canary.trafficRouting.istio.destinationRule", "subset-level traffic splitting" },
        { "progress deadline not above minReady", Spec("minReadySeconds: 30", "progressDeadlineSeconds: 30"), "spec.progressDeadlineSeconds", "must be greater than minReadySeconds" },
        { "negative replicas", Seed.Replace("replicas: 1", "replicas: -1"), "spec.replicas", "must be greater than or equal to 0" },
        { "template with workloadRef", Spec("template: { metadata: { labels: { app: rollouts-demo } } }"), "spec.template", "template must be empty for workload reference rollout" },
        { "no workloadRef", Seed[..Seed.IndexOf("  workloadRef:", StringComparison.Ordinal)] + "  selector: { matchLabels: { app: rollouts-demo } }\n", "spec.workloadRef", "workloadRef" },
        { "StatefulSet workload", Seed.Replace("kind: Deployment", "kind: StatefulSet"), "spec.workloadRef", "workload of type apps/StatefulSet is not supported" },
        { "name of another rollout", Seed.Replace("name: rollouts-demo\nspec", "name: other\nspec"), "metadata.name", "does not match" },
        { "not YAML", "spec: [", "manifest", "manifest" },
    };

    /// <summary>Rule, what the test changes in the cluster first, the field, a fragment of the message.</summary>
    public static TheoryData<string, Action<TestCluster>, string, string> ReferenceRules => new()
    {
        { "stable Service missing", c => c.Sim.Delete("services", Namespace, StableService), "spec.strategy.canary.stableService", "services \"rollouts-demo\" not found" },
        { "canary Service missing", c => c.Sim.Delete("services", Namespace, CanaryService), "spec.strategy.canary.canaryService", "services \"rollouts-demo-canary\" not found" },
        { "Service selector not in the template", c => c.Sim.Patch("services", Namespace, CanaryService, "{\"spec\":{\"selector\":{\"tier\":\"web\"}}}"), "spec.strategy.canary.canaryService", "Service \"rollouts-demo-canary\" has unmatch label \"tier\" in rollout" },
        { "Service managed by another Rollout", c => c.Sim.Patch("services", Namespace, StableService, "{\"metadata\":{\"annotations\":{\"argo-rollouts.argoproj.io/managed-by-rollouts\":\"other\"}}}"), "spec.strategy.canary.stableService", "is managed by another Rollout" },
        { "VirtualService missing", c => c.Sim.Delete("virtualservices.networking.istio.io", Namespace, "rollouts-demo"), "spec.strategy.canary.trafficRouting.istio.virtualService.name", "virtualservices.networking.istio.io \"rollouts-demo\" not found" },
        { "route missing", c => RenameRoute(c, "secondary"), "spec.strategy.canary.trafficRouting.istio.virtualService.name", "HTTP Route 'primary' is not found in the defined Virtual Service." },
        { "canary destination missing", c => KeepOnlyDestination(c, StableService), "spec.strategy.canary.trafficRouting.istio.virtualService.name", "Canary Service 'rollouts-demo-canary' not found in route" },
        { "stable destination missing", c => KeepOnlyDestination(c, CanaryService), "spec.strategy.canary.trafficRouting.istio.virtualService.name", "Stable Service 'rollouts-demo' not found in route" },
        { "Deployment missing", c => c.Sim.Delete("deployments", Namespace, RolloutName), "spec.workloadRef", "deployments.apps \"rollouts-demo\" not found" },
    };

    [Theory]
    [MemberData(nameof(SpecRules))]
    public async Task Spec_rules_refuse_the_manifest_without_writing(string rule, string manifest, string field, string message)
    {
        var cluster = await fixture.NewClusterAsync();
        await AssertRefusedWithoutWritesAsync(cluster, manifest, rule, field, message);
    }

    [Theory]
    [MemberData(nameof(ReferenceRules))]
    public async Task Reference_rules_refuse_the_manifest_without_writing(string rule, Action<TestCluster> breakCluster, string field, string message)
    {
        var cluster = await fixture.NewClusterAsync();
        breakCluster(cluster);
        // Deleting the Deployment leaves its ReplicaSet and pods to the background garbage collector: let it finish first.
        await cluster.Sim.WhenControllersIdleAsync();
        await cluster.Sim.GarbageCollector.WaitIdleAsync();
        await AssertRefusedWithoutWritesAsync(cluster, Seed, rule, field, message);
    }

    [Fact]
    public async Task An_existing_rollout_keeps_running_its_spec_when_an_update_is_refused()
    {
        var cluster = await fixture.NewClusterAsync();
        var h1 = await cluster.ApplyHealthyAsync(Seed);
        // Let the last event of the initial deploy land and the simulator's controllers settle before counting.
        await cluster.AssertEventsInOrderAsync(
            ("SwitchService", $"Switched selector for service '{CanaryService}' from '' to '{h1}'"),
            ("TrafficWeightUpdated", "Traffic weight updated to 0"));
        await cluster.Sim.WhenControllersIdleAsync();
        var before = cluster.Sim.ResourceVersion;

        var changes = new List<string>();
        cluster.Sim.Committed += c => changes.Add(c.ToString());
        var error = await Assert.ThrowsAsync<RolloutCommandException>(() => cluster.Rollout().Apply(Steps("setWeight: 150")));

        Assert.Equal(CommandFailure.InvalidArgument, error.Failure);
        Assert.True(before == cluster.Sim.ResourceVersion, string.Join("\n", changes));
        var snapshot = await cluster.Rollout().Get();
        Assert.Equal(("Healthy", 7, h1), (snapshot.Phase, snapshot.StepCount, snapshot.StableHash));
    }

    private static async Task AssertRefusedWithoutWritesAsync(TestCluster cluster, string manifest, string rule, string field, string message)
    {
        var before = cluster.Sim.ResourceVersion;

        var checkError = await Assert.ThrowsAsync<RolloutCommandException>(() => cluster.Rollout().Check(manifest));
        var applyError = await Assert.ThrowsAsync<RolloutCommandException>(() => cluster.Rollout().Apply(manifest));

        foreach (var error in new[] { checkError, applyError })
        {
            Assert.Equal(CommandFailure.InvalidArgument, error.Failure);
            Assert.True(error.Field == field, $"{rule}: field '{error.Field}', expected '{field}' ({error.Message})");
            Assert.Contains(message, error.Message, StringComparison.Ordinal);
            Assert.Contains(field, error.Message, StringComparison.Ordinal); // the message names the field too
        }
        Assert.Equal(before, cluster.Sim.ResourceVersion); // not one write: no ReplicaSet, Service patch or Event
        Assert.False((await cluster.Rollout().Get()).Exists);
    }

    private static void RenameRoute(TestCluster cluster, string name)
    {
        var vs = cluster.Sim.Get("virtualservices.networking.istio.io", Namespace, "rollouts-demo")!;
        vs["spec"]!["http"]![0]!["name"] = name;
        cluster.Sim.Replace("virtualservices.networking.istio.io", Namespace, "rollouts-demo", vs);
    }

    private static void KeepOnlyDestination(TestCluster cluster, string host)
    {
        var vs = cluster.Sim.Get("virtualservices.networking.istio.io", Namespace, "rollouts-demo")!;
        var route = vs["spec"]!["http"]![0]!["route"]!.AsArray();
        foreach (var destination in route.Where(d => d!["destination"]!["host"]!.GetValue<string>() != host).ToList()) route.Remove(destination);
        route[0]!["weight"] = 100;
        cluster.Sim.Replace("virtualservices.networking.istio.io", Namespace, "rollouts-demo", vs);
    }
}
