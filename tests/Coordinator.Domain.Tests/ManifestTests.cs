using Coordinator.Domain.Manifest;
using Coordinator.Domain.Planning;
using Coordinator.Domain.State;
using Coordinator.Domain.Tests.Support;
using Coordinator.Domain.Validation;

namespace Coordinator.Domain.Tests;

public sealed class ManifestTests
{
    [Fact]
    public void Parse_SeedRollout_ReadsEveryField()
    {
        var manifest = RolloutManifest.Parse(Fixtures.SeedYaml);

        Assert.Equal("rollouts-demo", manifest.Name);
        Assert.Null(manifest.Namespace);
        var spec = manifest.Spec;
        Assert.Equal(1, spec.Replicas);
        Assert.Equal(new WorkloadRef { ApiVersion = "apps/v1", Kind = "Deployment", Name = "rollouts-demo" }, spec.WorkloadRef);
        var canary = spec.Strategy.Canary!;
        Assert.Equal(("rollouts-demo-canary", "rollouts-demo"), (canary.CanaryService, canary.StableService));
        Assert.Equal("rollouts-demo", canary.TrafficRouting!.Istio!.VirtualService!.Name);
        Assert.Equal(["primary"], canary.TrafficRouting.Istio.VirtualService.Routes.ToArray());
        Assert.Equal([5, null, 20, null, 80, null, 100], canary.Steps.Select(s => s.SetWeight));
        Assert.Equal("30s", canary.Steps[1].Pause!.Duration!.StringValue);
        Assert.Equal(30, RolloutDefaults.GetPauseDurationSeconds(canary.Steps[1].Pause!));
        Assert.True(RolloutValidator.ValidateSpec(spec, manifest.Name).IsValid);
    }

    [Fact]
    public void Parse_Json_GivesTheSameSpec()
    {
        const string json = """
            {"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout","metadata":{"name":"r","namespace":"ns"},
             "spec":{"replicas":3,"strategy":{"canary":{"steps":[{"setWeight":10},{"pause":{"duration":60}}]}}}}
            """;

        var manifest = RolloutManifest.Parse(json);

        Assert.Equal(("r", "ns", 3), (manifest.Name, manifest.Namespace, manifest.Spec.Replicas));
        Assert.Equal(60, manifest.Spec.Strategy.Canary!.Steps[1].Pause!.Duration!.IntValue);
    }

    [Fact]
    public void Parse_MalformedYaml_NamesTheLine()
    {
        const string yaml = "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: x\n bad: indent\nspec: {}\n";

        var error = Assert.Throws<ManifestException>(() => RolloutManifest.Parse(yaml));

        Assert.StartsWith("invalid YAML", error.Message);
        Assert.Equal(5, error.Line);
        Assert.Throws<ManifestException>(() => RolloutManifest.Parse("kind: Rollout\nmetadata:\n  name: [unclosed\n"));
    }

    [Fact]
    public void Parse_MalformedJson_NamesTheLine()
    {
        var error = Assert.Throws<ManifestException>(() => RolloutManifest.Parse("{\"apiVersion\": \n  \"argoproj.io/v1alpha1\",, }"));

        Assert.Equal(2, error.Line);
    }

    [Theory]
    [InlineData("apiVersion: apps/v1\nkind: Rollout\nmetadata: {name: x}\nspec: {}", "apiVersion")]
    [InlineData("apiVersion: argoproj.io/v1alpha1\nkind: Deployment\nmetadata: {name: x}\nspec: {}", "kind")]
    [InlineData("apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {}\nspec: {}", "metadata.name")]
    public void Parse_WrongHeader_NamesTheField(string yaml, string path)
    {
        var error = Assert.Throws<ManifestException>(() => RolloutManifest.Parse(yaml));

        Assert.Equal(path, error.Path);
    }

    [Fact]
    public void Parse_MistypedField_NamesPathAndLine()
    {
        var yaml = Fixtures.SeedYaml.Replace("replicas: 1", "replicas: many");

        var error = Assert.Throws<ManifestException>(() => RolloutManifest.Parse(yaml));

        Assert.Equal("spec.replicas", error.Path);
        Assert.Equal(6, error.Line);
        Assert.Equal("spec.replicas: expected an integer (line 6)", error.Message);
    }

    [Theory]
    [InlineData("- setWeight: 20", "- setWait: 20", "spec.strategy.canary.steps[2].setWait")]
    [InlineData("    canary:\n", "    canary:\n      foo: 1\n", "spec.strategy.canary.foo")]
    [InlineData("  replicas: 1\n", "  replicas: 1\n  replica: 2\n", "spec.replica")]
    [InlineData("            routes:\n", "            route: x\n            routes:\n", "spec.strategy.canary.trafficRouting.istio.virtualService.route")]
    [InlineData("    kind: Deployment\n", "    kind: Deployment\n    scaledown: onsuccess\n", "spec.workloadRef.scaledown")]
    [InlineData("- pause: { duration: 30s }", "- pause: { duration: 30s, until: never }", "spec.strategy.canary.steps[1].pause.until")]
    [InlineData("  name: rollouts-demo\nspec", "  name: rollouts-demo\n  nmespace: x\nspec", "metadata.nmespace")]
    [InlineData("kind: Rollout\n", "kind: Rollout\nspek: {}\n", "spek")]
    public void Parse_UnknownField_IsRefusedAsKubectlStrictValidationDoes(string find, string replace, string field)
    {
        var yaml = Fixtures.SeedYaml.Replace(find, replace);
        Assert.NotEqual(Fixtures.SeedYaml, yaml);

        var error = Assert.Throws<ManifestException>(() => RolloutManifest.Parse(yaml));

        Assert.StartsWith($"unknown field \"{field}\"", error.Message);
        Assert.Equal(field, error.Path);
    }

    [Theory]
    [InlineData("    canary:\n", "analysis: { templates: [{ templateName: success-rate }] }", "spec.strategy.canary.analysis", "background analysis is not supported")]
    [InlineData("    canary:\n", "antiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} }", "spec.strategy.canary.antiAffinity", "antiAffinity is not supported")]
    [InlineData("    canary:\n", "pingPong: { pingService: ping, pongService: pong }", "spec.strategy.canary.pingPong", "ping-pong services are not supported")]
    [InlineData("    canary:\n", "replicaProgressThreshold: { type: Percent, value: 80 }", "spec.strategy.canary.replicaProgressThreshold", "replicaProgressThreshold is not supported")]
    [InlineData("spec:\n", "analysis: { successfulRunHistoryLimit: 2 }", "spec.analysis", "it runs no analysis")]
    [InlineData("spec:\n", "template: { spec: { containers: [] , hostNetwork: true } }", "spec.template.spec", "template must be empty")]
    public void Parse_KnownFieldsTheCoordinatorDoesNotExecute_AreRefusedByName(string under, string line, string field, string message)
    {
        var indent = new string(' ', under.Length - under.TrimStart().Length + 2);
        var spec = RolloutManifest.Parse(Fixtures.SeedYaml.Replace(under, $"{under}{indent}{line}\n")).Spec;

        var result = RolloutValidator.ValidateSpec(spec, "rollouts-demo");

        Assert.Equal(field, result.FirstError!.Path);
        Assert.Contains(message, result.Message);
    }

    [Fact]
    public void Parse_CanaryAndStableMetadata_AreReadAndValid()
    {
        var spec = RolloutManifest.Parse(Fixtures.SeedYaml.Replace("    canary:\n",
            "    canary:\n      canaryMetadata: { labels: { role: canary }, annotations: { note: preview } }\n      stableMetadata: { labels: { role: stable } }\n")).Spec;

        Assert.Equal("canary", spec.Strategy.Canary!.CanaryMetadata!.Labels["role"]);
        Assert.Equal("preview", spec.Strategy.Canary.CanaryMetadata.Annotations["note"]);
        Assert.Equal("stable", spec.Strategy.Canary.StableMetadata!.Labels["role"]);
        Assert.Empty(spec.Strategy.Canary.StableMetadata.Annotations);
        Assert.True(RolloutValidator.ValidateSpec(spec, "rollouts-demo").IsValid);
    }

    [Theory]
    [InlineData("canaryMetadata: { labels: { role: \"-bad\" } }", "spec.strategy.canary.canaryMetadata.labels", "a valid label must be an empty string")]
    [InlineData("stableMetadata: { annotations: { \"example.com/\": x } }", "spec.strategy.canary.stableMetadata.annotations", "name part must consist of")]
    [InlineData("stableMetadata: { labels: { \"Example.com/role\": x } }", "spec.strategy.canary.stableMetadata.labels", "name part must consist of")]
    public void Validate_EphemeralMetadataKeysAndValues_AreCheckedAsTheApiServerDoes(string line, string field, string message)
    {
        var spec = RolloutManifest.Parse(Fixtures.SeedYaml.Replace("    canary:\n", $"    canary:\n      {line}\n")).Spec;

        var result = RolloutValidator.ValidateSpec(spec, "rollouts-demo");

        Assert.Equal(field, result.FirstError!.Path);
        Assert.Contains(message, result.Message);
    }

    [Fact]
    public void Parse_RollbackWindowAndRevisionLimit_AreRead()
    {
        var spec = RolloutManifest.Parse(Fixtures.SeedYaml
            .Replace("spec:\n", "spec:\n  rollbackWindow: { revisions: 2 }\n")
            .Replace("    canary:\n", "    canary:\n      scaleDownDelayRevisionLimit: 1\n")).Spec;

        Assert.Equal(2, spec.RollbackWindow!.Revisions);
        Assert.Equal(1, RolloutDefaults.GetScaleDownDelayRevisionLimit(spec));
        Assert.True(RolloutValidator.ValidateSpec(spec, "rollouts-demo").IsValid);
    }

    [Fact]
    public void Parse_Weight150_IsRejectedByValidationWithArgosMessage()
    {
        var spec = RolloutManifest.Parse(Fixtures.SeedYaml.Replace("setWeight: 80", "setWeight: 150")).Spec;

        var result = RolloutValidator.ValidateSpec(spec, "rollouts-demo");

        Assert.Equal(
            "The Rollout \"rollouts-demo\" is invalid: spec.strategy.steps[4].setWeight: Invalid value: 150: SetWeight needs to be between 0 and 100",
            result.Message);
    }

    [Fact]
    public void Parse_AllStepKinds_SoValidationCanNameThem()
    {
        var yaml = Fixtures.SeedYaml.Replace("- setWeight: 20", """
            - analysis: { templates: [ { templateName: success-rate } ] }
                    - experiment: { templates: [] }
                    - setHeaderRoute: { name: header }
                    - setMirrorRoute: { name: mirror }
                    - plugin: { name: my-plugin }
                    - setCanaryScale: { replicas: 2 }
            """);

        var steps = RolloutManifest.Parse(yaml).Spec.Strategy.Canary!.Steps;

        Assert.NotNull(steps[2].Analysis);
        Assert.NotNull(steps[3].Experiment);
        Assert.Equal(("header", "mirror", "my-plugin"), (steps[4].SetHeaderRoute, steps[5].SetMirrorRoute, steps[6].Plugin));
        Assert.Equal(2, steps[7].SetCanaryScale!.Replicas);
    }

    [Theory]
    [InlineData("10", 10)]
    [InlineData("10s", 10)]
    [InlineData("10m", 600)]
    [InlineData("1h", 3600)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.5s", 1)]
    [InlineData("ten", -1)]
    [InlineData("10d", -1)]
    public void PauseDuration_ParsesLikeArgo(string text, int seconds) =>
        Assert.Equal(seconds, RolloutDefaults.GetPauseDurationSeconds(new PauseStep { Duration = IntOrString.FromString(text) }));

    [Fact]
    public void Spec_RoundTripsThroughSystemTextJson()
    {
        var spec = Fixtures.SeedSpec;

        var json = System.Text.Json.JsonSerializer.Serialize(spec);
        var back = System.Text.Json.JsonSerializer.Deserialize<RolloutSpec>(json)!;

        Assert.Equal(json, System.Text.Json.JsonSerializer.Serialize(back));
    }
}
