using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Domain.Manifest;
using Coordinator.Domain.Validation;

namespace Coordinator.Domain.Fleet;

/// <summary>
/// <c>spec.template</c> is the change itself: a strategic-merge patch of the Deployment's pod template. It must patch at
/// least one container, named (the merge key, a DNS-1123 label, once each), with something to change besides its name.
/// Whether the Deployment has that container is known only in a cluster; the fleet checks it there.
/// </summary>
public static partial class FleetValidator
{
    private const string TemplatePath = "spec.template";

    private static void ValidateTemplate(string? json, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(json))
        {
            errors.Add(FieldError.Required(TemplatePath, "the change: a strategic-merge patch of the Deployment's pod template, with spec.containers"));
            return;
        }

        if (ParseObject(json) is not { } template)
        {
            errors.Add(FieldError.Invalid(TemplatePath, KubernetesNames.Truncate(json), "must be an object: a strategic-merge patch of the Deployment's pod template"));
            return;
        }

        if (template["metadata"] is JsonObject metadata)
        {
            ValidateTemplateMetadata(metadata, errors);
        }

        var containers = (template["spec"] as JsonObject)?["containers"] as JsonArray;
        if (containers is null || containers.Count == 0)
        {
            errors.Add(FieldError.Required($"{TemplatePath}.spec.containers", "at least one container to patch, by name"));
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < containers.Count; i++)
        {
            ValidateContainer(containers[i], $"{TemplatePath}.spec.containers[{i}]", names, errors);
        }
    }

    private static void ValidateContainer(JsonNode? node, string path, HashSet<string> names, List<FieldError> errors)
    {
        if (node is not JsonObject container)
        {
            errors.Add(FieldError.Invalid(path, node?.ToJsonString() ?? "null", "expected a container object"));
            return;
        }

        var name = container["name"] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : "";
        if (name.Length == 0)
        {
            errors.Add(FieldError.Required($"{path}.name", "the container's name: the merge key of the patch"));
        }
        else if (KubernetesNames.LabelProblem(name) is { } problem)
        {
            errors.Add(FieldError.Invalid($"{path}.name", KubernetesNames.Truncate(name), problem));
        }
        else if (!names.Add(name))
        {
            errors.Add(FieldError.Duplicate($"{path}.name", name));
        }
        else if (container.Count < 2)
        {
            errors.Add(FieldError.Invalid(path, container, "changes nothing: set a field to change besides the name, such as image"));
        }
    }

    private static void ValidateTemplateMetadata(JsonObject metadata, List<FieldError> errors)
    {
        var path = $"{TemplatePath}.metadata";
        if (LabelRules.Labels(StringMap(metadata["labels"]), $"{path}.labels") is { } labelError)
        {
            errors.Add(labelError);
        }

        if (StringMap(metadata["annotations"]).Keys.Order(StringComparer.Ordinal).Select(k => LabelRules.Key($"{path}.annotations", k)).FirstOrDefault(e => e is not null) is { } keyError)
        {
            errors.Add(keyError);
        }
    }

    /// <summary>A JSON object of strings; a value of another type reads as its JSON text, which the label rules refuse.</summary>
    private static Dictionary<string, string> StringMap(JsonNode? node) =>
        node is JsonObject map
            ? map.ToDictionary(p => p.Key, p => p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : p.Value?.ToJsonString() ?? "null", StringComparer.Ordinal)
            : [];

    private static JsonObject? ParseObject(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
