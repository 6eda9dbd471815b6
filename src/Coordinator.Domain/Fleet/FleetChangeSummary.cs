using System.Text.Json.Nodes;

namespace Coordinator.Domain.Fleet;

/// <summary>How a fleet's template patch (<c>spec.template</c>) is shown to users.</summary>
public static class FleetChangeSummary
{
    /// <summary>The change in short, e.g. <c>rollouts-demo=argoproj/rollouts-demo:yellow</c> (containers with an image).</summary>
    public static string Of(string templatePatchJson)
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
