using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Domain.Manifest;
using Coordinator.Domain.Planning;

namespace Coordinator.Domain.Fleet;

/// <summary>
/// Maps a FleetRollout's <c>spec</c> JSON tree onto <see cref="FleetSpec"/>: shape and types only, every error naming
/// the field (and line, for YAML). Ranges, names and cross-field rules are <see cref="FleetValidator"/>'s job, so a
/// spec that arrives as JSON from another silo is checked by the same rules.
/// </summary>
internal sealed class FleetSpecReader(NodeReader read)
{
    private const string IntOrPercentExpected = "expected an integer or a percentage such as \"25%\"";
    private const string DurationExpected = "expected a duration such as \"30s\" or \"1m30s\"";

    private static readonly (string Text, UnreachablePolicy Value)[] UnreachableValues =
        [("wait", UnreachablePolicy.Wait), ("skip", UnreachablePolicy.Skip), ("fail", UnreachablePolicy.Fail)];

    private static readonly (string Text, FailurePolicy Value)[] FailureValues =
        [("halt", FailurePolicy.Halt), ("revert", FailurePolicy.Revert)];

    public FleetSpec ReadSpec(JsonObject spec)
    {
        const string path = "spec";
        read.RejectUnknown(spec, path, FleetSchema.Spec);
        var waves = read.Array(spec, "waves", path);
        return new FleetSpec
        {
            Rollout = ReadRolloutRef(spec, path),
            TemplatePatchJson = ReadTemplate(spec, path),
            Clusters = ReadSelection(spec, "clusters", path),
            Waves = waves is null ? [] : [.. waves.Select((wave, i) => ReadWave(wave, $"{path}.waves[{i}]"))],
            FailureBudget = ReadIntOrPercent(spec, "failureBudget", path),
            ClusterTimeout = ReadDuration(spec, "clusterTimeout", path) ?? FleetDefaults.ClusterTimeout,
            Unreachable = ReadEnum(spec, "unreachable", path, UnreachableValues) ?? UnreachablePolicy.Fail,
            OnFailure = ReadEnum(spec, "onFailure", path, FailureValues) ?? FailurePolicy.Halt,
        };
    }

    /// <summary>Absent fields read as empty: the validator names what is required, as for every other field.</summary>
    private FleetRolloutRef ReadRolloutRef(JsonObject spec, string path)
    {
        var field = NodeReader.Child(path, "rollout");
        var rollout = read.Object(spec, "rollout", path);
        if (rollout is null)
        {
            return new FleetRolloutRef("", FleetDefaults.Namespace);
        }

        read.RejectUnknown(rollout, field, FleetSchema.RolloutRef);
        var @namespace = read.String(rollout, "namespace", field);
        return new FleetRolloutRef(read.String(rollout, "name", field) ?? "", string.IsNullOrEmpty(@namespace) ? FleetDefaults.Namespace : @namespace);
    }

    /// <summary>
    /// The patch as compact JSON. Its top level and metadata are a pod template's; <c>spec</c> is free form except that
    /// <c>containers</c>, when given, is a list of objects whose <c>name</c> is a string (the merge key).
    /// </summary>
    private string ReadTemplate(JsonObject spec, string path)
    {
        var field = NodeReader.Child(path, "template");
        var template = read.Object(spec, "template", path);
        if (template is null)
        {
            return "";
        }

        read.RejectUnknown(template, field, FleetSchema.Template);
        if (read.Object(template, "metadata", field) is { } metadata)
        {
            var metadataField = NodeReader.Child(field, "metadata");
            read.RejectUnknown(metadata, metadataField, FleetSchema.TemplateMetadata);
            read.StringMap(metadata, "labels", metadataField);
            read.StringMap(metadata, "annotations", metadataField);
        }

        if (read.Object(template, "spec", field) is { } podSpec && read.Array(podSpec, "containers", $"{field}.spec") is { } containers)
        {
            for (var i = 0; i < containers.Count; i++)
            {
                var containerField = $"{field}.spec.containers[{i}]";
                var container = containers[i] as JsonObject ?? throw read.Error(containers[i] ?? containers, containerField, "expected a container object");
                read.String(container, "name", containerField);
            }
        }

        return template.ToJsonString();
    }

    private ClusterSelection? ReadSelection(JsonObject parent, string key, string path)
    {
        var field = NodeReader.Child(path, key);
        var clusters = read.Object(parent, key, path);
        if (clusters is null)
        {
            return null;
        }

        read.RejectUnknown(clusters, field, FleetSchema.ClusterSelection);
        var selector = read.Object(clusters, "selector", field);
        var selectorField = NodeReader.Child(field, "selector");
        if (selector is not null)
        {
            read.RejectUnknown(selector, selectorField, FleetSchema.LabelSelector);
        }

        var expressions = selector is null ? null : read.Array(selector, "matchExpressions", selectorField);
        return new ClusterSelection
        {
            Names = read.StringList(clusters, "names", field),
            MatchLabels = selector is null ? new Dictionary<string, string>() : read.StringMap(selector, "matchLabels", selectorField),
            MatchExpressions = expressions is null
                ? []
                : [.. expressions.Select((e, i) => ReadRequirement(e, $"{selectorField}.matchExpressions[{i}]"))],
        };
    }

    private LabelRequirement ReadRequirement(JsonNode? node, string path)
    {
        var requirement = node as JsonObject ?? throw read.Error(node, path, "expected an object with key, operator and values");
        read.RejectUnknown(requirement, path, FleetSchema.LabelRequirement);
        return new LabelRequirement(
            read.String(requirement, "key", path) ?? "",
            read.String(requirement, "operator", path) ?? "",
            read.StringList(requirement, "values", path));
    }

    private WaveSpec ReadWave(JsonNode? node, string path)
    {
        var wave = node as JsonObject ?? throw read.Error(node, path, "expected a wave object");
        read.RejectUnknown(wave, path, FleetSchema.Wave);
        var defaults = new WaveSpec { Name = "" };
        return new WaveSpec
        {
            Name = read.String(wave, "name", path) ?? "",
            Clusters = ReadSelection(wave, "clusters", path),
            MaxParallel = ReadIntOrPercent(wave, "maxParallel", path) ?? defaults.MaxParallel,
            BakeTime = ReadDuration(wave, "bakeTime", path) ?? defaults.BakeTime,
            RequireApproval = read.Bool(wave, "requireApproval", path) ?? defaults.RequireApproval,
            FailureBudget = ReadIntOrPercent(wave, "failureBudget", path) ?? defaults.FailureBudget,
        };
    }

    /// <summary>A Kubernetes IntOrString count: <c>3</c> or <c>"25%"</c>. The sign is kept for the validator to refuse.</summary>
    private IntOrPercent? ReadIntOrPercent(JsonObject parent, string key, string path)
    {
        var node = parent[key];
        switch (node)
        {
            case null:
                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                return new IntOrPercent(read.Int(parent, key, path)!.Value, Percent: false);
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                return text.EndsWith('%') && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var percent)
                    ? new IntOrPercent(percent, Percent: true)
                    : throw read.Error(node, NodeReader.Child(path, key), $"{IntOrPercentExpected}, got {KubernetesNames.Quote(text)}");
            default:
                throw read.Error(node, NodeReader.Child(path, key), IntOrPercentExpected);
        }
    }

    /// <summary>A Go duration (<c>time.ParseDuration</c>): <c>30s</c>, <c>1m30s</c>, <c>1.5h</c>, or <c>0</c>. The sign is kept for the validator.</summary>
    private TimeSpan? ReadDuration(JsonObject parent, string key, string path)
    {
        var node = parent[key];
        if (node is null)
        {
            return null;
        }

        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            throw read.Error(node, NodeReader.Child(path, key), DurationExpected);
        }

        var text = value.GetValue<string>();
        return TryParseDuration(text, out var duration)
            ? duration
            : throw read.Error(node, NodeReader.Child(path, key), $"{DurationExpected}, got {KubernetesNames.Quote(text)}");
    }

    private static bool TryParseDuration(string text, out TimeSpan duration)
    {
        try
        {
            return GoDuration.TryParse(text, out duration);
        }
        catch (OverflowException)
        {
            // Longer than TimeSpan can hold (about 29,000 years): not a duration anyone means.
            duration = default;
            return false;
        }
    }

    private T? ReadEnum<T>(JsonObject parent, string key, string path, (string Text, T Value)[] values)
        where T : struct, Enum
    {
        var text = read.String(parent, key, path);
        if (text is null)
        {
            return null;
        }

        foreach (var (name, value) in values)
        {
            if (name == text)
            {
                return value;
            }
        }

        var supported = string.Join(", ", values.Select(v => $"\"{v.Text}\""));
        throw read.Error(parent[key], NodeReader.Child(path, key), $"Unsupported value: {KubernetesNames.Quote(text)}: supported values: {supported}");
    }
}
