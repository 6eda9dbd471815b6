using System.Text.Json;
using System.Text.Json.Serialization;
using Coordinator.Domain.Fleet;
using Coordinator.Domain.Manifest;

namespace Coordinator.Abstractions;

/// <summary>
/// A FleetRollout manifest parsed (and checked against the input limits) once, by whoever received it; the grain never
/// parses user text. Across silos the spec travels as JSON (the Domain's records carry no Orleans attributes).
/// </summary>
[GenerateSerializer, Immutable, Alias("coordinator.ParsedFleetManifest")]
public sealed class ParsedFleetManifest
{
    private static readonly JsonSerializerOptions SpecJsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    [NonSerialized] private FleetSpec? _spec;

    private ParsedFleetManifest(string text, string name, string specJson, FleetSpec? spec)
    {
        Text = text;
        Name = name;
        SpecJson = specJson;
        _spec = spec;
    }

    /// <summary>The manifest as the user wrote it.</summary>
    [Id(0)] public string Text { get; }

    [Id(1)] public string Name { get; }

    [Id(2)] public string SpecJson { get; }

    public FleetSpec Spec => _spec ??= JsonSerializer.Deserialize<FleetSpec>(SpecJson, SpecJsonOptions)
        ?? throw new JsonException("the parsed fleet manifest carries no spec");

    public static ParsedFleetManifest From(string text, FleetManifest manifest) =>
        new(text, manifest.Name, JsonSerializer.Serialize(manifest.Spec, SpecJsonOptions), manifest.Spec);

    /// <exception cref="ManifestException">As <see cref="FleetManifest.Parse"/>.</exception>
    public static ParsedFleetManifest Parse(string text, ManifestLimits? limits = null) =>
        From(text, FleetManifest.Parse(text, limits ?? ManifestLimits.Default));
}
