using System.Text.Json.Nodes;
using Coordinator.Domain.Manifest;
using Coordinator.Domain.State;
using Coordinator.Testing;

namespace Coordinator.Domain.Tests.Support;

/// <summary>The seed's objects (shared/seed/manifests) as planner inputs.</summary>
internal static class Fixtures
{
    public const string Namespace = "test";
    public const string RolloutName = "rollouts-demo";
    public const string StableService = "rollouts-demo";
    public const string CanaryService = "rollouts-demo-canary";
    public static readonly DateTimeOffset T0 = new(2024, 5, 1, 10, 0, 0, TimeSpan.Zero);

    public static string SeedYaml => Manifests.SeedRollout;

    public static RolloutSpec SeedSpec => RolloutManifest.Parse(SeedYaml).Spec;

    /// <summary>The seed Deployment's pod template with the given image colour.</summary>
    public static JsonObject Template(string colour) => JsonNode.Parse($$"""
        {
          "metadata": { "labels": { "app": "rollouts-demo", "istio-injection": "enabled" } },
          "spec": {
            "containers": [{
              "name": "rollouts-demo",
              "image": "argoproj/rollouts-demo:{{colour}}",
              "ports": [{ "name": "http", "containerPort": 8080, "protocol": "TCP" }],
              "resources": { "requests": { "memory": "32Mi", "cpu": "5m" } }
            }]
          }
        }
        """)!.AsObject();

    public static RolloutSpec WithSteps(this RolloutSpec spec, params CanaryStep[] steps) =>
        spec with { Strategy = spec.Strategy with { Canary = spec.Strategy.Canary! with { Steps = [.. steps] } } };

    public static RolloutSpec WithCanary(this RolloutSpec spec, Func<CanaryStrategy, CanaryStrategy> change) =>
        spec with { Strategy = spec.Strategy with { Canary = change(spec.Strategy.Canary!) } };

    public static CanaryStep Weight(int weight) => new() { SetWeight = weight };

    public static CanaryStep Pause(string? duration = null) =>
        new() { Pause = new PauseStep { Duration = duration is null ? null : IntOrString.FromString(duration) } };
}
