using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Domain.Validation;

namespace Coordinator.Domain.Fleet;

/// <summary>
/// The one check of <c>spec.template</c> only a cluster can answer: the containers it patches must exist in the
/// Rollout's Deployment there (a strategic merge would otherwise add a container, not change one). The static rules
/// (named containers, each changing something) are <see cref="FleetValidator"/>'s.
/// </summary>
public static class FleetTemplate
{
    /// <summary>The names of the containers the patch changes, in its order; empty when it has none (or is not a valid patch).</summary>
    public static IReadOnlyList<string> ContainerNames(string templatePatchJson)
    {
        JsonNode? template;
        try
        {
            template = JsonNode.Parse(templatePatchJson);
        }
        catch (JsonException)
        {
            return [];
        }

        return template?["spec"]?["containers"] is JsonArray containers
            ? [.. containers.Select(c => c?["name"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "")]
            : [];
    }

    /// <summary>
    /// Null when every patched container is one of <paramref name="deploymentContainers"/>, else the first that is not,
    /// naming its field: <c>spec.template.spec.containers[0].name: Not found: "web": the Deployment test/rollouts-demo
    /// has the containers rollouts-demo</c>.
    /// </summary>
    public static FieldError? CheckContainers(string templatePatchJson, IReadOnlyCollection<string> deploymentContainers, string deployment)
    {
        var names = ContainerNames(templatePatchJson);
        for (var i = 0; i < names.Count; i++)
        {
            if (!deploymentContainers.Contains(names[i], StringComparer.Ordinal))
            {
                return FieldError.NotFound($"spec.template.spec.containers[{i}].name", names[i],
                    $"the Deployment {deployment} has the containers {FleetWaves.ListNames(deploymentContainers)}");
            }
        }

        return null;
    }
}
