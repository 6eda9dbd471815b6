using Coordinator.Domain.Actions;
using System.Collections.Immutable;
using Coordinator.Domain.Observation;
using Coordinator.Domain.Planning;
using Coordinator.Domain.State;
using Coordinator.Domain.Tests.Support;
using Coordinator.Domain.Validation;

namespace Coordinator.Domain.Tests;

public sealed class ValidationTests
{
    private static RolloutSpec Seed => Fixtures.SeedSpec;

    private static RolloutSpec NoRouting(RolloutSpec spec) => spec.WithCanary(c => c with { TrafficRouting = null });

    public static TheoryData<string, Func<RolloutSpec, RolloutSpec>, string> SpecRules => new()
    {
        { "setWeight below 0", s => s.WithSteps(Fixtures.Weight(-1)), "spec.strategy.steps[0].setWeight: Invalid value: -1: SetWeight needs to be between 0 and 100" },
        { "setWeight above 100", s => s.WithSteps(Fixtures.Weight(150)), "spec.strategy.steps[0].setWeight: Invalid value: 150: SetWeight needs to be between 0 and 100" },
        { "bad pause duration", s => s.WithSteps(Fixtures.Pause("ten")), "spec.strategy.steps[0].pause.duration: Invalid value: -1: Duration needs to be greater than 0" },
        { "negative pause duration", s => s.WithSteps(new CanaryStep { Pause = new PauseStep { Duration = IntOrString.FromInt(-5) } }), "spec.strategy.steps[0].pause.duration: Invalid value: -1: Duration needs to be greater than 0" },
        { "two kinds in one step", s => s.WithSteps(new CanaryStep { SetWeight = 5, Pause = new PauseStep() }), "spec.strategy.steps[0]: Invalid value: \"step.Experiment: true step.Pause: false step.SetWeight: false step.Analysis: true step.SetCanaryScale: true step.SetHeaderRoute: true step.SetMirrorRoutes: true step.Plugin: true\": Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause" },
        { "same services", s => s.WithCanary(c => c with { CanaryService = "rollouts-demo" }), "spec.strategy.stableService: Invalid value: \"rollouts-demo\": This rollout uses the same service for the stable and canary services, but two different services are required." },
        { "surge and unavailable zero", s => s.WithCanary(c => c with { MaxSurge = IntOrString.FromInt(0), MaxUnavailable = IntOrString.FromString("0%") }), "spec.strategy.maxSurge: Invalid value: 0: MaxSurge and MaxUnavailable both can not be zero" },
        { "scaleDownDelay without routing", s => NoRouting(s).WithCanary(c => c with { ScaleDownDelaySeconds = 30 }), "spec.strategy.scaleDownDelaySeconds: Invalid value: 30: Canary scaleDownDelaySeconds can only be used with traffic routing" },
        { "dynamicStableScale without routing", s => NoRouting(s).WithCanary(c => c with { DynamicStableScale = true }), "spec.strategy.dynamicStableScale: Invalid value: true: Canary dynamicStableScale can only be used with traffic routing" },
        { "dynamicStableScale with delay", s => s.WithCanary(c => c with { DynamicStableScale = true, ScaleDownDelaySeconds = 10 }), "spec.strategy.dynamicStableScale: Invalid value: true: Canary dynamicStableScale cannot be used with scaleDownDelaySeconds" },
        { "maxTrafficWeight with istio", s => s.WithCanary(c => c with { TrafficRouting = c.TrafficRouting! with { MaxTrafficWeight = 1000 } }), "spec.strategy.trafficRouting.maxTrafficWeight: Invalid value: 1000: maxTrafficWeight is not supported with Istio traffic routing" },
        { "setCanaryScale without routing", s => NoRouting(s).WithSteps(new CanaryStep { SetCanaryScale = new SetCanaryScaleStep { Replicas = 1 } }), "spec.strategy.steps[0].setCanaryScale: Invalid value: \"setCanaryScale\": SetCanaryScale requires TrafficRouting to be set" },
        { "header route without managedRoutes", s => s.WithSteps(new CanaryStep { SetHeaderRoute = "h" }), "spec.strategy.steps[0].setHeaderRoute: Invalid value: \"h\": Rollout has missing field 'spec.strategy.canary.trafficRouting.managedRoutes'" },
        { "mirror route not in managedRoutes", s => s.WithCanary(c => c with { TrafficRouting = c.TrafficRouting! with { ManagedRoutes = ["a"] } }).WithSteps(new CanaryStep { SetMirrorRoute = "m" }), "spec.strategy.steps[0].setMirrorRoute: Invalid value: \"m\": Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes" },
        { "progress deadline not above minReady", s => s with { MinReadySeconds = 700 }, "spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds" },
        { "negative replicas", s => s with { Replicas = -1 }, "spec.replicas: Invalid value: -1: must be greater than or equal to 0" },
        { "template with workloadRef", s => s with { Template = new RolloutTemplate { Labels = ImmutableDictionary<string, string>.Empty.Add("app", "x") } }, "spec.template: Invalid value: {\"labels\":{\"app\":\"x\"},\"annotations\":{},\"hasPodSpec\":false}: template must be empty for workload reference rollout" },
        { "no strategy", s => s with { Strategy = new RolloutStrategy() }, "spec.strategy: Required value: Rollout has missing field '.spec.strategy.canary or .spec.strategy.blueGreen'" },
        { "no selector without workloadRef", s => s with { WorkloadRef = null }, "spec.selector: Required value: Rollout has missing field '.spec.selector'" },
        { "empty selector", s => s with { Selector = new LabelSelector() }, "spec.selector: Invalid value: {\"matchLabels\":{},\"matchExpressionCount\":0}: empty selector is invalid for deployment" },
        { "coordinator: analysis step", s => s.WithSteps(new CanaryStep { Analysis = "{}" }), "spec.strategy.canary.steps[0].analysis: Invalid value: \"analysis\": step kind 'analysis' is not supported by the coordinator" },
        { "coordinator: destinationRule", s => s.WithCanary(c => c with { TrafficRouting = c.TrafficRouting! with { Istio = c.TrafficRouting.Istio! with { DestinationRule = new IstioDestinationRule { Name = "dr" } } } }), "spec.strategy.canary.trafficRouting.istio.destinationRule: Invalid value: \"dr\": subset-level traffic splitting (destinationRule) is not supported by the coordinator" },
        { "coordinator: StatefulSet", s => s with { WorkloadRef = s.WorkloadRef! with { Kind = "StatefulSet" } }, "spec.workloadRef: Invalid value: \"rollouts-demo\": workload of type apps/StatefulSet is not supported" },
        { "coordinator: no istio", s => NoRouting(s), "spec.strategy.canary.trafficRouting.istio: Required value: the coordinator requires Istio traffic routing (trafficRouting.istio)" },
    };

    [Theory]
    [MemberData(nameof(SpecRules))]
    public void ValidateSpec_ReportsArgosFirstError(string rule, Func<RolloutSpec, RolloutSpec> change, string fieldError)
    {
        var result = RolloutValidator.ValidateSpec(change(Seed), "rollouts-demo");

        Assert.False(result.IsValid, rule);
        Assert.Equal(fieldError, result.FirstError!.ToString());
        Assert.Equal($"The Rollout \"rollouts-demo\" is invalid: {fieldError}", result.Message);
    }

    [Fact]
    public void ValidateSpec_HostSplittingWithoutCanaryService_NamesTrafficRouting()
    {
        var result = RolloutValidator.ValidateSpec(Seed.WithCanary(c => c with { CanaryService = null }), "r");

        Assert.Equal(("spec.strategy.trafficRouting", "Canary service and Stable service must to be set to use Traffic Routing"), (result.FirstError!.Path, result.FirstError.Detail));
    }

    [Fact]
    public void ValidateSpec_Seed_IsValid() => Assert.True(RolloutValidator.ValidateSpec(Seed, "rollouts-demo").IsValid);

    public static TheoryData<string, Func<ClusterObservation, ClusterObservation>, string> ReferenceRules => new()
    {
        { "deployment missing", o => o with { Deployment = null }, "spec.workloadRef: Invalid value: \"rollouts-demo\": deployments.apps \"rollouts-demo\" not found" },
        { "stable service missing", o => o with { Services = [.. o.Services.Where(s => s.Name != "rollouts-demo")] }, "spec.strategy.canary.stableService: Invalid value: \"rollouts-demo\": services \"rollouts-demo\" not found" },
        { "canary service missing", o => o with { Services = [.. o.Services.Where(s => s.Name != "rollouts-demo-canary")] }, "spec.strategy.canary.canaryService: Invalid value: \"rollouts-demo-canary\": services \"rollouts-demo-canary\" not found" },
        { "unmatched label", o => WithService(o, "rollouts-demo-canary", s => s with { Selector = new Dictionary<string, string> { ["app"] = "rollouts-demo", ["version"] = "v1" } }), "spec.strategy.canary.canaryService: Invalid value: \"rollouts-demo-canary\": Service \"rollouts-demo-canary\" has unmatch label \"version\" in rollout" },
        { "managed by another rollout", o => WithService(o, "rollouts-demo", s => s with { Annotations = new Dictionary<string, string> { ["argo-rollouts.argoproj.io/managed-by-rollouts"] = "other" } }), "spec.strategy.canary.stableService: Invalid value: \"rollouts-demo\": Service \"rollouts-demo\" is managed by another Rollout" },
        { "virtual service missing", o => o with { VirtualServices = [] }, "spec.strategy.canary.trafficRouting.istio.virtualService.name: Invalid value: \"rollouts-demo\": virtualservices.networking.istio.io \"rollouts-demo\" not found" },
        { "no routes", o => o with { VirtualServices = [o.VirtualServices[0] with { HttpRoutes = [] }] }, "spec.strategy.canary.trafficRouting.istio.virtualService.name: Invalid value: \"rollouts-demo\": Unable to get any of the HTTP, TCP or TLS routes for the Istio VirtualService" },
        { "named route missing", o => WithRoute(o, r => r with { Name = "other" }), "spec.strategy.canary.trafficRouting.istio.virtualService.name: Invalid value: \"rollouts-demo\": Istio VirtualService has invalid HTTP routes. Error: HTTP Route 'primary' is not found in the defined Virtual Service." },
        { "stable destination missing", o => WithRoute(o, r => r with { Destinations = [.. r.Destinations.Where(d => d.Host != "rollouts-demo")] }), "spec.strategy.canary.trafficRouting.istio.virtualService.name: Invalid value: \"rollouts-demo\": Istio VirtualService has invalid HTTP routes. Error: Stable Service 'rollouts-demo' not found in route" },
        { "canary destination missing", o => WithRoute(o, r => r with { Destinations = [.. r.Destinations.Where(d => d.Host != "rollouts-demo-canary")] }), "spec.strategy.canary.trafficRouting.istio.virtualService.name: Invalid value: \"rollouts-demo\": Istio VirtualService has invalid HTTP routes. Error: Canary Service 'rollouts-demo-canary' not found in route" },
    };

    [Theory]
    [MemberData(nameof(ReferenceRules))]
    public void ValidateReferences_ReportsArgosMessage(string rule, Func<ClusterObservation, ClusterObservation> change, string fieldError)
    {
        var result = RolloutValidator.ValidateReferences(Seed, change(new FakeCluster().Observe()));

        Assert.False(result.IsValid, rule);
        Assert.Equal(fieldError, result.FirstError!.ToString());
    }

    [Fact]
    public void ValidateReferences_FqdnHostsAndTheHashSelectorKeyAreAccepted()
    {
        var observation = WithRoute(new FakeCluster().Observe(), r => r with
        {
            Destinations = [.. r.Destinations.Select(d => d with { Host = d.Host + ".test.svc.cluster.local" })],
        });
        observation = WithService(observation, "rollouts-demo", s => s with
        {
            Selector = new Dictionary<string, string> { ["app"] = "rollouts-demo", ["rollouts-pod-template-hash"] = "abc" },
        });

        Assert.True(RolloutValidator.ValidateReferences(Seed, observation).IsValid);
    }

    [Fact]
    public void ValidateReferences_BothVirtualServiceForms_IsRejected()
    {
        var spec = Seed.WithCanary(c => c with
        {
            TrafficRouting = c.TrafficRouting! with { Istio = c.TrafficRouting.Istio! with { VirtualServices = [new IstioVirtualServiceRef { Name = "x" }] } },
        });

        var result = RolloutValidator.ValidateReferences(spec, new FakeCluster().Observe());

        Assert.Equal("either VirtualService or VirtualServices must be configured", result.FirstError!.Detail);
    }

    [Fact]
    public void Decide_InvalidReference_DegradesWithoutAnyActionButShowingItOnTheOwner()
    {
        var observation = new FakeCluster().WithOwner().Observe() with { VirtualServices = [] };
        var now = Fixtures.T0;

        var degraded = RolloutPlanner.Decide(Seed, new RolloutStatus(), observation, now);
        var decision = RolloutPlanner.Decide(Seed, degraded.NewStatus, observation, now);

        // The pass that marks the spec invalid writes nothing; the next one, with nothing left to do, shows it on the owner.
        Assert.Empty(degraded.Actions);
        var owner = Assert.IsType<WriteOwnerConfigMap>(Assert.Single(decision.Actions));
        Assert.True(StatusComparer.AreEqual(degraded.NewStatus, decision.NewStatus));
        Assert.Equal(("Degraded", decision.NewStatus.Message), (owner.Data["phase"], owner.Data["message"]));
        Assert.Equal(RolloutPhase.Degraded, decision.NewStatus.Phase);
        Assert.Equal("InvalidSpec: The Rollout \"rollouts-demo\" is invalid: spec.strategy.canary.trafficRouting.istio.virtualService.name: Invalid value: \"rollouts-demo\": virtualservices.networking.istio.io \"rollouts-demo\" not found", decision.NewStatus.Message);
        var condition = Assert.Single(decision.NewStatus.Conditions);
        Assert.Equal(("InvalidSpec", "True", "InvalidSpec"), (condition.Type, condition.Status, condition.Reason));
        Assert.Equal(now.AddSeconds(20), decision.WakeAt);
    }

    [Fact]
    public void Decide_InvalidSpecMidRollout_WritesNothingThenRecoversWhenFixed()
    {
        var driver = new RolloutDriver();
        driver.Settle();
        driver.TakeLog();
        driver.Cluster.RouteName = "renamed";

        driver.Cluster.SetImage("yellow");
        driver.Settle();
        Assert.Equal(["owner Degraded step 7/7 weight 0 rev 1"], driver.TakeLog()); // only the owner shows it
        Assert.Equal(RolloutPhase.Degraded, driver.Status.Phase);

        driver.Cluster.RouteName = "primary";
        driver.Settle();
        Assert.DoesNotContain(driver.Status.Conditions, c => c.Type == "InvalidSpec");
        Assert.Equal(RolloutPhase.Paused, driver.Status.Phase);
    }

    private static ClusterObservation WithService(ClusterObservation o, string name, Func<ObservedService, ObservedService> change) =>
        o with { Services = [.. o.Services.Select(s => s.Name == name ? change(s) : s)] };

    private static ClusterObservation WithRoute(ClusterObservation o, Func<ObservedHttpRoute, ObservedHttpRoute> change) =>
        o with { VirtualServices = [o.VirtualServices[0] with { HttpRoutes = [change(o.VirtualServices[0].HttpRoutes[0])] }] };
}
