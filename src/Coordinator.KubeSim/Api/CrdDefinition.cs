using System.Text.Json.Nodes;
using Coordinator.KubeSim.Store;

namespace Coordinator.KubeSim.Api;

/// <summary>
/// What the apiextensions server does with a CustomResourceDefinition: validate it, default it, write the status it
/// writes once the names are accepted (NamesAccepted, Established), and derive the resource it then serves.
/// </summary>
internal static class CrdDefinition
{
    private static readonly ResourceType T = ResourceCatalog.CustomResourceDefinitions;

    public static void ValidateAndDefault(JsonObject crd)
    {
        var name = JsonFields.Str(crd["metadata"], "name") ?? "";
        var spec = JsonFields.Obj(crd, "spec") ?? throw KubeApiException.Invalid(T, name, "spec", "Required value");
        var group = JsonFields.Str(spec, "group");
        if (string.IsNullOrEmpty(group)) throw KubeApiException.Invalid(T, name, "spec.group", "Required value");
        if (!group.Contains('.')) throw KubeApiException.Invalid(T, name, "spec.group", $"Invalid value: \"{group}\": should be a domain with at least one dot");
        var names = JsonFields.Obj(spec, "names") ?? throw KubeApiException.Invalid(T, name, "spec.names.plural", "Required value");
        var plural = JsonFields.Str(names, "plural");
        if (string.IsNullOrEmpty(plural)) throw KubeApiException.Invalid(T, name, "spec.names.plural", "Required value");
        var kind = JsonFields.Str(names, "kind");
        if (string.IsNullOrEmpty(kind)) throw KubeApiException.Invalid(T, name, "spec.names.kind", "Required value");
        if (name != plural + "." + group)
            throw KubeApiException.Invalid(T, name, "metadata.name", $"Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group");
        var scope = JsonFields.Str(spec, "scope");
        if (scope is not ("Namespaced" or "Cluster"))
            throw KubeApiException.Invalid(T, name, "spec.scope", $"Unsupported value: \"{scope}\": supported values: \"Cluster\", \"Namespaced\"");
        var versions = JsonFields.Arr(spec, "versions");
        if (versions is not { Count: > 0 }) throw KubeApiException.Invalid(T, name, "spec.versions", "Invalid value: null: must have exactly one version marked as storage version");
        if (versions.Count(v => v?["storage"] is JsonValue s && s.TryGetValue<bool>(out var b) && b) != 1)
            throw KubeApiException.Invalid(T, name, "spec.versions", "Invalid value: " + versions.ToJsonString() + ": must have exactly one version marked as storage version");
        names["singular"] ??= kind.ToLowerInvariant();
        names["listKind"] ??= kind + "List";
        spec["conversion"] ??= new JsonObject { ["strategy"] = "None" };
    }

    /// <summary>The status the apiextensions controllers write: names accepted, Established, the storage version recorded.</summary>
    public static void WriteStatus(JsonObject crd, JsonObject? oldStatus, string now)
    {
        var spec = JsonFields.Obj(crd, "spec")!;
        var storage = JsonFields.Arr(spec, "versions")!.First(v => v?["storage"] is JsonValue s && s.TryGetValue<bool>(out var b) && b)!;
        var stored = JsonFields.Arr(oldStatus, "storedVersions")?.Select(v => v?.ToString() ?? "").ToList() ?? [];
        if (!stored.Contains(JsonFields.Str(storage, "name") ?? "")) stored.Add(JsonFields.Str(storage, "name") ?? "");
        var oldConditions = JsonFields.Arr(oldStatus, "conditions");
        crd["status"] = new JsonObject
        {
            ["acceptedNames"] = spec["names"]!.DeepClone(),
            ["conditions"] = new JsonArray(
                Condition(oldConditions, "NamesAccepted", "NoConflicts", "no conflicts found", now),
                Condition(oldConditions, "Established", "InitialNamesAccepted", "the initial names have been accepted", now)),
            ["storedVersions"] = new JsonArray(stored.Select(v => (JsonNode)v).ToArray()),
        };
    }

    private static JsonObject Condition(JsonArray? old, string type, string reason, string message, string now) => new()
    {
        ["lastTransitionTime"] = old?.FirstOrDefault(c => JsonFields.Str(c, "type") == type)?["lastTransitionTime"]?.DeepClone() ?? now,
        ["message"] = message, ["reason"] = reason, ["status"] = "True", ["type"] = type,
    };

    /// <summary>The resource a valid CRD defines: served versions (storage first), names, status subresource, printer columns.</summary>
    public static ResourceType ToResourceType(JsonObject crd)
    {
        var spec = JsonFields.Obj(crd, "spec")!;
        var names = JsonFields.Obj(spec, "names")!;
        var versions = JsonFields.Arr(spec, "versions")!.OfType<JsonObject>()
            .Where(v => v["served"] is not JsonValue s || !s.TryGetValue<bool>(out var b) || b)
            .OrderByDescending(v => v["storage"] is JsonValue s && s.TryGetValue<bool>(out var b) && b)
            .ToList();
        var columns = new Dictionary<string, PrinterColumn[]>(StringComparer.Ordinal);
        foreach (var v in versions)
        {
            columns[JsonFields.Str(v, "name") ?? ""] = (JsonFields.Arr(v, "additionalPrinterColumns") ?? []).OfType<JsonObject>()
                .Select(c => new PrinterColumn(JsonFields.Str(c, "name") ?? "", JsonFields.Str(c, "type") ?? "string", JsonFields.Str(c, "jsonPath") ?? "",
                    (int)(JsonFields.Long(c, "priority") ?? 0), JsonFields.Str(c, "description") ?? "", JsonFields.Str(c, "format") ?? ""))
                .ToArray();
        }
        return new ResourceType
        {
            Group = JsonFields.Str(spec, "group")!,
            Versions = versions.Select(v => JsonFields.Str(v, "name") ?? "").ToArray(),
            Plural = JsonFields.Str(names, "plural")!,
            Singular = JsonFields.Str(names, "singular")!,
            Kind = JsonFields.Str(names, "kind")!,
            Namespaced = JsonFields.Str(spec, "scope") == "Namespaced",
            ShortNames = Strings(names["shortNames"]),
            Categories = Strings(names["categories"]),
            IsCustomResource = true,
            IsDefinedByCrd = true,
            HasGeneration = true,
            HasStatusSubresource = versions.Any(v => JsonFields.Obj(v, "subresources", "status") != null),
            PrinterColumns = columns,
        };
    }

    private static string[] Strings(JsonNode? node) => (node as JsonArray)?.Select(n => n?.ToString() ?? "").ToArray() ?? [];
}
