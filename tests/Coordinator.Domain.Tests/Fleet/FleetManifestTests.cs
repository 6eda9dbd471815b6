using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Coordinator.Domain.Fleet;
using Coordinator.Domain.Manifest;
using Coordinator.Testing;
using static Coordinator.Domain.Tests.Fleet.FleetFixtures;

namespace Coordinator.Domain.Tests.Fleet;

/// <summary>FleetManifest.Parse: the issue's shape, YAML or JSON, strict about unknown and mistyped fields, under the Rollout's input limits.</summary>
public sealed class FleetManifestTests
{
    [Fact]
    public void The_issue_example_parses_into_every_field()
    {
        var manifest = Parse(IssueYaml);
        var spec = manifest.Spec;

        Assert.Equal("demo-yellow", manifest.Name);
        Assert.Equal(new FleetRolloutRef("rollouts-demo", "test"), spec.Rollout);
        Assert.Equal("""{"spec":{"containers":[{"name":"rollouts-demo","image":"argoproj/rollouts-demo:yellow"}]}}""", spec.TemplatePatchJson);
        Assert.Equal(new Dictionary<string, string> { ["app-tier"] = "web" }, spec.Clusters!.MatchLabels);
        Assert.Empty(spec.Clusters.Names);
        Assert.Equal(["canary", "europe", "rest"], spec.Waves.Select(w => w.Name));
        var (canary, europe, rest) = (spec.Waves[0], spec.Waves[1], spec.Waves[2]);
        Assert.Equal(["dev"], canary.Clusters!.Names);
        Assert.Equal((new IntOrPercent(1, false), TimeSpan.FromSeconds(30), false), (canary.MaxParallel, canary.BakeTime, canary.RequireApproval));
        Assert.Equal(new Dictionary<string, string> { ["region"] = "europe" }, europe.Clusters!.MatchLabels);
        Assert.Equal((new IntOrPercent(25, true), true, new IntOrPercent(0, false)), (europe.MaxParallel, europe.RequireApproval, europe.FailureBudget));
        Assert.Null(rest.Clusters);
        Assert.Equal((new IntOrPercent(10, false), new IntOrPercent(10, true), TimeSpan.Zero), (rest.MaxParallel, rest.FailureBudget, rest.BakeTime));
        Assert.Equal(new IntOrPercent(2, false), spec.FailureBudget);
        Assert.Equal((TimeSpan.FromMinutes(10), UnreachablePolicy.Fail, FailurePolicy.Halt), (spec.ClusterTimeout, spec.Unreachable, spec.OnFailure));
    }

    [Fact]
    public void Omitted_fields_take_the_documented_defaults()
    {
        var spec = Parse(Minimal().Replace("namespace: test", "namespace: \"\"")).Spec;

        Assert.Equal(FleetDefaults.Namespace, spec.Rollout.Namespace);
        Assert.Null(spec.Clusters);
        Assert.Null(spec.FailureBudget);
        Assert.Equal((TimeSpan.FromMinutes(10), UnreachablePolicy.Fail, FailurePolicy.Halt), (spec.ClusterTimeout, spec.Unreachable, spec.OnFailure));
        var wave = Assert.Single(spec.Waves);
        Assert.Equal((new IntOrPercent(1, false), TimeSpan.Zero, false, new IntOrPercent(0, false)), (wave.MaxParallel, wave.BakeTime, wave.RequireApproval, wave.FailureBudget));
    }

    [Fact]
    public void JSON_reads_as_the_same_spec_as_YAML()
    {
        const string json = """
            {"apiVersion":"coordinator.io/v1alpha1","kind":"FleetRollout","metadata":{"name":"demo-yellow"},
             "spec":{"rollout":{"name":"rollouts-demo","namespace":"test"},
                     "template":{"spec":{"containers":[{"name":"rollouts-demo","image":"argoproj/rollouts-demo:yellow"}]}},
                     "clusters":{"selector":{"matchLabels":{"app-tier":"web"}}},
                     "waves":[{"name":"canary","clusters":{"names":["dev"]},"maxParallel":1,"bakeTime":"30s"},
                              {"name":"europe","clusters":{"selector":{"matchLabels":{"region":"europe"}}},"maxParallel":"25%","requireApproval":true,"failureBudget":0},
                              {"name":"rest","maxParallel":10,"failureBudget":"10%"}],
                     "failureBudget":2,"clusterTimeout":"10m","unreachable":"fail","onFailure":"halt"}}
            """;

        Assert.Equal(Serialize(IssueSpec), Serialize(Parse(json).Spec));
    }

    [Fact]
    public void The_spec_survives_the_JSON_that_carries_it_between_silos()
    {
        // The options of ParsedFleetManifest (Abstractions): web defaults, enums as strings, nulls left out.
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Converters = { new JsonStringEnumConverter() },
        };
        var spec = Parse(IssueYaml.Replace("matchLabels: {region: europe}", "matchExpressions: [{key: region, operator: In, values: [europe]}]")).Spec;

        var json = JsonSerializer.Serialize(spec, options);
        var back = JsonSerializer.Deserialize<FleetSpec>(json, options)!;

        Assert.Equal(json, JsonSerializer.Serialize(back, options));
        Assert.Equal("In", back.Waves[1].Clusters!.MatchExpressions[0].Operator);
    }

    public static TheoryData<string, string, string> Refused => new()
    {
        { "unknown spec field", Minimal("  maxParalel: 2"), "unknown field \"spec.maxParalel\" (line 10)" },
        { "unknown wave field", IssueYaml.Replace("    bakeTime: 30s", "    bakeTime: 30s\n    bake: 30s"), "unknown field \"spec.waves[0].bake\" (line 19)" },
        { "unknown selector field", IssueYaml.Replace("{matchLabels: {app-tier: web}}", "{matchLabel: {app-tier: web}}"), "unknown field \"spec.clusters.selector.matchLabel\" (line 13)" },
        { "unknown template field", IssueYaml.Replace("    spec:\n      containers", "    spec:\n      containers").Replace("  template:", "  template:\n    replicas: 2"), "unknown field \"spec.template.replicas\" (line 8)" },
        { "unknown rollout field", IssueYaml.Replace("namespace: test}", "namespace: test, kind: Rollout}"), "unknown field \"spec.rollout.kind\" (line 6)" },
        { "unknown top-level field", IssueYaml + "status: {}\n", "unknown field \"status\" (line 31)" },
        { "metadata.namespace", IssueYaml.Replace("  name: demo-yellow", "  name: demo-yellow\n  namespace: test"), "metadata.namespace: a FleetRollout is not namespaced (it spans clusters); the Rollout's namespace is spec.rollout.namespace (line 5)" },
        { "wrong kind", IssueYaml.Replace("kind: FleetRollout", "kind: Rollout"), "kind: expected \"FleetRollout\", got \"Rollout\" (line 2)" },
        { "wrong apiVersion", IssueYaml.Replace("coordinator.io/v1alpha1", "argoproj.io/v1alpha1"), "apiVersion: expected \"coordinator.io/v1alpha1\", got \"argoproj.io/v1alpha1\" (line 1)" },
        { "no name", IssueYaml.Replace("  name: demo-yellow\n", "  labels: {a: b}\n"), "metadata.name: required (line 4)" },
        { "bad name", IssueYaml.Replace("name: demo-yellow", "name: Demo_Yellow"), "metadata.name: Invalid value: \"Demo_Yellow\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*') (line 4)" },
        { "no spec", "apiVersion: coordinator.io/v1alpha1\nkind: FleetRollout\nmetadata: {name: f}\n", "spec: required (line 1)" },
        { "maxParallel not a count", IssueYaml.Replace("maxParallel: 25%", "maxParallel: quarter"), "spec.waves[1].maxParallel: expected an integer or a percentage such as \"25%\", got \"quarter\" (line 21)" },
        { "maxParallel a fraction", IssueYaml.Replace("maxParallel: 25%", "maxParallel: 2.5"), "spec.waves[1].maxParallel: expected an integer (line 21)" },
        { "maxParallel a list", IssueYaml.Replace("maxParallel: 25%", "maxParallel: [2]"), "spec.waves[1].maxParallel: expected an integer or a percentage such as \"25%\" (line 21)" },
        { "failureBudget a word", IssueYaml.Replace("  failureBudget: 2 ", "  failureBudget: two "), "spec.failureBudget: expected an integer or a percentage such as \"25%\", got \"two\" (line 27)" },
        { "bakeTime as a number", IssueYaml.Replace("bakeTime: 30s", "bakeTime: 30"), "spec.waves[0].bakeTime: expected a duration such as \"30s\" or \"1m30s\" (line 18)" },
        { "bakeTime without unit", IssueYaml.Replace("bakeTime: 30s", "bakeTime: \"30\""), "spec.waves[0].bakeTime: expected a duration such as \"30s\" or \"1m30s\", got \"30\" (line 18)" },
        { "bakeTime too long for any clock", IssueYaml.Replace("bakeTime: 30s", "bakeTime: 99999999999999999h"), "spec.waves[0].bakeTime: expected a duration such as \"30s\" or \"1m30s\", got \"99999999999999999h\" (line 18)" },
        { "clusterTimeout a word", IssueYaml.Replace("clusterTimeout: 10m", "clusterTimeout: ten"), "spec.clusterTimeout: expected a duration such as \"30s\" or \"1m30s\", got \"ten\" (line 28)" },
        { "requireApproval a word", IssueYaml.Replace("requireApproval: true", "requireApproval: \"yes\""), "spec.waves[1].requireApproval: expected a boolean (line 22)" },
        { "unreachable unknown", IssueYaml.Replace("unreachable: fail", "unreachable: retry"), "spec.unreachable: Unsupported value: \"retry\": supported values: \"wait\", \"skip\", \"fail\" (line 29)" },
        { "onFailure capitalised", IssueYaml.Replace("onFailure: halt", "onFailure: Halt"), "spec.onFailure: Unsupported value: \"Halt\": supported values: \"halt\", \"revert\" (line 30)" },
        { "waves a map", Minimal().Replace("  waves:\n  - name: all", "  waves: {name: all}"), "spec.waves: expected a list (line 8)" },
        { "a wave a string", Minimal().Replace("  - name: all", "  - all"), "spec.waves[0]: expected a wave object (line 9)" },
        { "names a string", IssueYaml.Replace("{names: [dev]}", "{names: dev}"), "spec.waves[0].clusters.names: expected a list (line 16)" },
        { "a name a number", IssueYaml.Replace("{names: [dev]}", "{names: [dev, 7]}"), "spec.waves[0].clusters.names[1]: expected a string (line 16)" },
        { "matchLabels value a number", IssueYaml.Replace("{app-tier: web}", "{app-tier: 1}"), "spec.clusters.selector.matchLabels.app-tier: expected a string (line 13)" },
        { "matchExpression a string", IssueYaml.Replace("{matchLabels: {region: europe}}", "{matchExpressions: [region]}"), "spec.waves[1].clusters.selector.matchExpressions[0]: expected an object with key, operator and values (line 20)" },
        { "matchExpression unknown field", IssueYaml.Replace("{matchLabels: {region: europe}}", "{matchExpressions: [{key: region, op: In}]}"), "unknown field \"spec.waves[1].clusters.selector.matchExpressions[0].op\" (line 20)" },
        { "template a string", Minimal().Replace("template: {spec: {containers: [{name: rollouts-demo, image: \"argoproj/rollouts-demo:yellow\"}]}}", "template: x"), "spec.template: expected an object (line 7)" },
        { "a container a string", IssueYaml.Replace("      - name: rollouts-demo\n        image: argoproj/rollouts-demo:yellow", "      - rollouts-demo"), "spec.template.spec.containers[0]: expected a container object (line 10)" },
        { "a container name a number", IssueYaml.Replace("- name: rollouts-demo", "- name: 5"), "spec.template.spec.containers[0].name: expected a string (line 10)" },
        { "template label a list", IssueYaml.Replace("    spec:\n      containers", "    metadata: {labels: {a: [b]}}\n    spec:\n      containers"), "spec.template.metadata.labels.a: expected a string (line 8)" },
        { "two documents", IssueYaml + "---\n" + IssueYaml, "expected exactly one YAML document (one object) (line 32)" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Unknown_and_mistyped_fields_are_refused_naming_the_field_and_line(string why, string yaml, string message)
    {
        var error = Assert.Throws<ManifestException>(() => Parse(yaml));

        Assert.True(message == error.Message, $"{why}:\n expected {message}\n actual   {error.Message}");
    }

    /// <summary>The Rollout's hostile manifests (tests/Coordinator.Testing), as FleetRollouts: refused while read, naming the limit.</summary>
    public static TheoryData<string, string, string> Hostile => new()
    {
        { "billion laughs", AsFleet(HostileManifests.BillionLaughs()), "more than 10000 YAML nodes (aliases expanded) at line 8 (Coordinator:Limits:MaxYamlNodes)" },
        { "many aliases", AsFleet(HostileManifests.ManyAliases(101)), "more than 100 YAML aliases at line 5 (Coordinator:Limits:MaxYamlAliases)" },
        { "deep flow sequence", HostileManifests.DeepYamlSequences(100_000), "nesting deeper than 64 levels at line 1 (Coordinator:Limits:MaxNestingDepth)" },
        { "deep flow mapping", AsFleet(HostileManifests.DeepYamlMappings(50_000)), "nesting deeper than 64 levels at line 4 (Coordinator:Limits:MaxNestingDepth)" },
        { "deep JSON", AsFleet(HostileManifests.DeepJson(100_000)), "nesting deeper than 64 levels at line 2 (Coordinator:Limits:MaxNestingDepth)" },
        { "oversize", AsFleet(HostileManifests.Oversize(1_572_864)), $"{AsFleet(HostileManifests.Oversize(1_572_864)).Length} bytes exceeds the limit of 1048576 bytes (Coordinator:Limits:MaxManifestBytes)" },
        { "deep template", Minimal().Replace("template: {spec:", "template: {spec: " + string.Concat(Enumerable.Repeat("{a: ", 70)) + "1" + new string('}', 70) + ", x:"), "nesting deeper than 64 levels at line 7 (Coordinator:Limits:MaxNestingDepth)" },
        { "template of many aliases", Minimal().Replace("  template: {spec:", "  x: &x [1]\n  template: {metadata: {annotations: {" + string.Join(",", Enumerable.Range(0, 101).Select(i => $"a{i}: *x")) + "}}, spec:"), "more than 100 YAML aliases at line 8 (Coordinator:Limits:MaxYamlAliases)" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Hostile_manifest_is_refused_quickly_in_bounded_memory_naming_the_limit(string why, string manifest, string message)
    {
        Parse(IssueYaml); // warm up, so the measurement is of this manifest only
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();

        var error = Assert.Throws<ManifestException>(() => Parse(manifest));

        clock.Stop();
        Assert.True(message == error.Message, $"{why}:\n expected {message}\n actual   {error.Message}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"{why}: refused after {clock.Elapsed}");
        var megabytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / 1e6;
        Assert.True(megabytes < 20, $"{why}: {megabytes:F1} MB allocated");
    }

    [Fact]
    public void The_limits_passed_in_are_the_ones_applied()
    {
        var error = Assert.Throws<ManifestException>(() => FleetManifest.Parse(IssueYaml, ManifestLimits.Default with { MaxYamlNodes = 20 }));

        Assert.Contains("(Coordinator:Limits:MaxYamlNodes)", error.Message);
    }

    private static string AsFleet(string rolloutManifest) => rolloutManifest
        .Replace("apiVersion: argoproj.io/v1alpha1\nkind: Rollout", "apiVersion: coordinator.io/v1alpha1\nkind: FleetRollout")
        .Replace("\"apiVersion\":\"argoproj.io/v1alpha1\",\"kind\":\"Rollout\"", "\"apiVersion\":\"coordinator.io/v1alpha1\",\"kind\":\"FleetRollout\"");

    private static string Serialize(FleetSpec spec) => JsonSerializer.Serialize(spec);
}
