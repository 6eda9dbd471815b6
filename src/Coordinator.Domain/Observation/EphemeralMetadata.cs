using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Domain.State;

namespace Coordinator.Domain.Observation;

/// <summary>
/// Argo's ephemeral pod metadata rules (<c>utils/replicaset</c>: <c>SyncEphemeralPodMetadata</c>,
/// <c>ParseExistingPodMetadata</c>): what an object's labels and annotations become when its ephemeral metadata moves
/// from one value to another, and the RS annotation that remembers the value.
/// </summary>
public static class EphemeralMetadata
{
    /// <summary>The annotation's value: Go's <c>json.Marshal</c> of <c>PodTemplateMetadata</c> (omitempty, sorted keys).</summary>
    public static string Format(PodTemplateMetadata metadata)
    {
        var json = new JsonObject();
        if (!metadata.Labels.IsEmpty) json["labels"] = Sorted(metadata.Labels);
        if (!metadata.Annotations.IsEmpty) json["annotations"] = Sorted(metadata.Annotations);
        return json.ToJsonString();
    }

    /// <summary>The annotation read back; absent or unreadable means nothing was injected.</summary>
    public static PodTemplateMetadata Parse(string? annotation)
    {
        if (string.IsNullOrEmpty(annotation)) return PodTemplateMetadata.Empty;
        try
        {
            return JsonNode.Parse(annotation) is JsonObject json
                ? new PodTemplateMetadata { Labels = Map(json["labels"]), Annotations = Map(json["annotations"]) }
                : PodTemplateMetadata.Empty;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return PodTemplateMetadata.Empty;
        }
    }

    /// <summary>
    /// Labels and annotations after the move: <paramref name="desired"/> set, keys of <paramref name="previous"/> that
    /// <paramref name="desired"/> no longer has removed, everything else kept. <c>Changed</c> tells whether anything differs.
    /// </summary>
    public static (IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations, bool Changed) Apply(
        IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> annotations,
        PodTemplateMetadata previous, PodTemplateMetadata desired)
    {
        var newLabels = Move(labels, previous.Labels, desired.Labels);
        var newAnnotations = Move(annotations, previous.Annotations, desired.Annotations);
        var changed = !SameMap(labels, newLabels) || !SameMap(annotations, newAnnotations);
        return (newLabels, newAnnotations, changed);
    }

    /// <summary>A merge patch body for <c>metadata</c> (or a template's metadata) that turns the current maps into the new ones.</summary>
    public static JsonObject MetadataPatch(
        IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> annotations,
        IReadOnlyDictionary<string, string> newLabels, IReadOnlyDictionary<string, string> newAnnotations) => new()
    {
        ["labels"] = MapPatch(labels, newLabels),
        ["annotations"] = MapPatch(annotations, newAnnotations),
    };

    private static Dictionary<string, string> Move(
        IReadOnlyDictionary<string, string> current, ImmutableDictionary<string, string> previous, ImmutableDictionary<string, string> desired)
    {
        var result = new Dictionary<string, string>(current, StringComparer.Ordinal);
        foreach (var key in previous.Keys.Where(k => !desired.ContainsKey(k))) result.Remove(key);
        foreach (var (key, value) in desired) result[key] = value;
        return result;
    }

    private static JsonObject MapPatch(IReadOnlyDictionary<string, string> current, IReadOnlyDictionary<string, string> wanted)
    {
        var patch = new JsonObject();
        foreach (var key in current.Keys.Where(k => !wanted.ContainsKey(k)).Order(StringComparer.Ordinal)) patch[key] = null;
        foreach (var (key, value) in wanted.Where(p => current.GetValueOrDefault(p.Key) != p.Value).OrderBy(p => p.Key, StringComparer.Ordinal))
            patch[key] = value;
        return patch;
    }

    private static bool SameMap(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var value) && value == p.Value);

    private static JsonObject Sorted(ImmutableDictionary<string, string> map)
    {
        var json = new JsonObject();
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal)) json[key] = value;
        return json;
    }

    private static ImmutableDictionary<string, string> Map(JsonNode? node) =>
        node is JsonObject map
            ? map.Where(p => p.Value is JsonValue).ToImmutableDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal)
            : ImmutableDictionary<string, string>.Empty;
}
