using Coordinator.Domain.Fleet;
using static Coordinator.Domain.Tests.Fleet.FleetFixtures;

namespace Coordinator.Domain.Tests.Fleet;

/// <summary>FleetValidator: the static rules, each refusal naming its field as the apiserver would.</summary>
public sealed class FleetValidatorTests
{
    private static string? FirstError(string yaml)
    {
        var manifest = Parse(yaml);
        return FleetValidator.Validate(manifest.Spec, manifest.Name).FirstError?.ToString();
    }

    private static string Wave(string fields) => Minimal().Replace("  - name: all", "  - name: all\n" + fields);

    private static string Waves(string waves) => Minimal().Replace("  - name: all", waves);

    [Fact]
    public void The_issue_example_and_a_minimal_fleet_are_valid()
    {
        Assert.Null(FleetValidator.Validate(IssueSpec, "demo-yellow").Message);
        Assert.Null(FirstError(Minimal()));
    }

    [Fact]
    public void The_message_names_the_FleetRollout_and_the_first_field()
    {
        var result = FleetValidator.Validate(Parse(Wave("    maxParallel: 0\n    failureBudget: -1")).Spec, "f");

        Assert.Equal("The FleetRollout \"f\" is invalid: spec.waves[0].maxParallel: Invalid value: 0: must be greater than 0", result.Message);
        Assert.Equal(2, result.Errors.Count);
    }

    public static TheoryData<string, string, string> Rules => new()
    {
        { "maxParallel 0", Wave("    maxParallel: 0"), "spec.waves[0].maxParallel: Invalid value: 0: must be greater than 0" },
        { "maxParallel 0%", Wave("    maxParallel: 0%"), "spec.waves[0].maxParallel: Invalid value: \"0%\": must be between 1% and 100%" },
        { "maxParallel 150%", Wave("    maxParallel: 150%"), "spec.waves[0].maxParallel: Invalid value: \"150%\": must be between 1% and 100%" },
        { "negative wave budget", Wave("    failureBudget: -1"), "spec.waves[0].failureBudget: Invalid value: -1: must be greater than or equal to 0" },
        { "wave budget over 100%", Wave("    failureBudget: 101%"), "spec.waves[0].failureBudget: Invalid value: \"101%\": must be between 0% and 100%" },
        { "negative run budget", Minimal("  failureBudget: -2"), "spec.failureBudget: Invalid value: -2: must be greater than or equal to 0" },
        { "run budget below 0%", Minimal("  failureBudget: -5%"), "spec.failureBudget: Invalid value: \"-5%\": must be between 0% and 100%" },
        { "negative bake time", Wave("    bakeTime: -1m30s"), "spec.waves[0].bakeTime: Invalid value: \"-1m30s\": must be greater than or equal to 0" },
        { "zero cluster timeout", Minimal("  clusterTimeout: \"0\""), "spec.clusterTimeout: Invalid value: \"0s\": must be greater than 0" },
        { "negative cluster timeout", Minimal("  clusterTimeout: -1h"), "spec.clusterTimeout: Invalid value: \"-1h0m0s\": must be greater than 0" },
        { "no waves", Minimal().Replace("  waves:\n  - name: all", "  waves: []"), "spec.waves: Required value: at least one wave" },
        { "waves omitted", Minimal().Replace("  waves:\n  - name: all", ""), "spec.waves: Required value: at least one wave" },
        { "wave without a name", Waves("  - maxParallel: 1"), "spec.waves[0].name: Required value: a wave name (a DNS-1123 label)" },
        { "wave name not a label", Waves("  - name: Europe.West"), "spec.waves[0].name: Invalid value: \"Europe.West\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')" },
        { "duplicate wave names", Waves("  - name: a\n    clusters: {names: [x]}\n  - name: a"), "spec.waves[1].name: Duplicate value: \"a\"" },
        { "a wave without clusters before the last", Waves("  - name: a\n  - name: b"), "spec.waves[0].clusters: Required value: only the last wave may omit clusters (it takes every remaining cluster)" },
        { "empty wave selection", Waves("  - name: a\n    clusters: {}"), "spec.waves[0].clusters: Required value: names or a selector; omit clusters in the last wave to take every remaining cluster" },
        { "empty spec.clusters", Minimal("  clusters: {names: []}"), "spec.clusters: Required value: names or a selector; omit spec.clusters to mean every cluster that has the Rollout" },
        { "a name twice in a wave", Waves("  - name: a\n    clusters: {names: [x, x]}"), "spec.waves[0].clusters.names[1]: Duplicate value: \"x\"" },
        { "overlapping names", Waves("  - name: a\n    clusters: {names: [x, y]}\n  - name: b\n    clusters: {names: [y]}"), "spec.waves[1].clusters.names[0]: Duplicate value: \"y\": already in spec.waves[0] (a cluster is in one wave only)" },
        { "an empty cluster name", Waves("  - name: a\n    clusters: {names: [\"\"]}"), "spec.waves[0].clusters.names[0]: Required value: a cluster name" },
        { "bad label key", Minimal("  clusters: {selector: {matchLabels: {\"a b\": x}}}"), "spec.clusters.selector.matchLabels: Invalid value: \"a b\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')" },
        { "bad label value", Minimal("  clusters: {selector: {matchLabels: {a: \"-x\"}}}"), "spec.clusters.selector.matchLabels: Invalid value: \"-x\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character" },
        { "unknown operator", Minimal("  clusters: {selector: {matchExpressions: [{key: a, operator: Equals, values: [x]}]}}"), "spec.clusters.selector.matchExpressions[0].operator: Unsupported value: \"Equals\": supported values: \"In\", \"NotIn\", \"Exists\", \"DoesNotExist\"" },
        { "In without values", Minimal("  clusters: {selector: {matchExpressions: [{key: a, operator: In}]}}"), "spec.clusters.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'" },
        { "Exists with values", Minimal("  clusters: {selector: {matchExpressions: [{key: a, operator: Exists, values: [x]}]}}"), "spec.clusters.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'" },
        { "expression without key", Minimal("  clusters: {selector: {matchExpressions: [{operator: Exists}]}}"), "spec.clusters.selector.matchExpressions[0].key: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')" },
        { "no rollout", Minimal().Replace("  rollout: {name: rollouts-demo, namespace: test}\n", ""), "spec.rollout.name: Required value: the Rollout already applied to the clusters" },
        { "bad rollout name", Minimal().Replace("name: rollouts-demo, namespace", "name: Rollouts, namespace"), "spec.rollout.name: Invalid value: \"Rollouts\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')" },
        { "bad rollout namespace", Minimal().Replace("namespace: test", "namespace: a.b"), "spec.rollout.namespace: Invalid value: \"a.b\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')" },
        { "no template", Minimal().Replace("  template: {spec: {containers: [{name: rollouts-demo, image: \"argoproj/rollouts-demo:yellow\"}]}}\n", ""), "spec.template: Required value: the change: a strategic-merge patch of the Deployment's pod template, with spec.containers" },
        { "template without containers", Template("{metadata: {labels: {a: b}}}"), "spec.template.spec.containers: Required value: at least one container to patch, by name" },
        { "template with no container", Template("{spec: {containers: []}}"), "spec.template.spec.containers: Required value: at least one container to patch, by name" },
        { "a container without a name", Template("{spec: {containers: [{image: x}]}}"), "spec.template.spec.containers[0].name: Required value: the container's name: the merge key of the patch" },
        { "a container that changes nothing", Template("{spec: {containers: [{name: rollouts-demo}]}}"), "spec.template.spec.containers[0]: Invalid value: {\"name\":\"rollouts-demo\"}: changes nothing: set a field to change besides the name, such as image" },
        { "a container twice", Template("{spec: {containers: [{name: a, image: x}, {name: a, image: y}]}}"), "spec.template.spec.containers[1].name: Duplicate value: \"a\"" },
        { "a container name not a label", Template("{spec: {containers: [{name: A_b, image: x}]}}"), "spec.template.spec.containers[0].name: Invalid value: \"A_b\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')" },
        { "a bad template label", Template("{metadata: {labels: {\"x/\": b}}, spec: {containers: [{name: a, image: x}]}}"), "spec.template.metadata.labels: Invalid value: \"x/\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')" },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Each_rule_names_its_field(string why, string yaml, string message)
    {
        var error = FirstError(yaml);

        Assert.True(message == error, $"{why}:\n expected {message}\n actual   {error}");
    }

    [Fact]
    public void A_spec_that_arrives_as_JSON_is_checked_by_the_same_rules()
    {
        var spec = IssueSpec with { TemplatePatchJson = "[1]", Unreachable = (UnreachablePolicy)7 };

        var errors = FleetValidator.Validate(spec, "x").Errors.Select(e => e.ToString()).ToList();

        Assert.Equal("spec.template: Invalid value: \"[1]\": must be an object: a strategic-merge patch of the Deployment's pod template", errors[0]);
        Assert.Equal("spec.unreachable: Unsupported value: \"7\": supported values: \"wait\", \"skip\", \"fail\"", errors[1]);
    }

    [Fact]
    public void A_hostile_value_is_not_echoed_whole()
    {
        var name = new string('a', 70) + "_";
        var error = FirstError(Minimal().Replace("  - name: all", $"  - name: {name}"));

        Assert.StartsWith($"spec.waves[0].name: Invalid value: \"{new string('a', 64)}...\": must be no more than 63 characters", error);
    }

    private static string Template(string flow) =>
        Minimal().Replace("  template: {spec: {containers: [{name: rollouts-demo, image: \"argoproj/rollouts-demo:yellow\"}]}}", $"  template: {flow}");
}
