using System.Text.Json.Nodes;

namespace Coordinator.Domain.Fleet;

/// <summary>What a fleet's template patch (<c>spec.template</c>) means for one Deployment.</summary>
public static class FleetTemplates
{
    /// <summary>
    /// The patch's containers that <paramref name="deploymentTemplate"/> does not have, with their index in the patch:
    /// a strategic merge would add a new container instead of changing the one the user meant.
    /// </summary>
    public static IReadOnlyList<(int Index, string Name)> MissingContainers(string templatePatchJson, JsonObject deploymentTemplate)
    {
        var existing = Containers(deploymentTemplate).Select(c => c["name"]?.GetValue<string>()).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return Containers(JsonNode.Parse(templatePatchJson) as JsonObject)
            .Select((c, i) => (Index: i, Name: c["name"]?.GetValue<string>() ?? ""))
            .Where(c => !existing.Contains(c.Name))
            .ToList();
    }

    /// <summary>The change in short, e.g. <c>rollouts-demo=argoproj/rollouts-demo:yellow</c> (containers with an image).</summary>
    public static string Summary(string templatePatchJson)
    {
        try
        {
            var parts = Containers(JsonNode.Parse(templatePatchJson) as JsonObject)
                .Where(c => c["image"] is not null)
                .Select(c => $"{c["name"]?.GetValue<string>()}={c["image"]?.GetValue<string>()}")
                .ToList();
            return parts.Count > 0 ? string.Join(",", parts) : "pod template";
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            return "pod template";
        }
    }

    private static IEnumerable<JsonObject> Containers(JsonObject? template) =>
        (template?["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>();
}
