using System.Text.Json;
using System.Text.Json.Serialization;
using Coordinator.Domain.Manifest;
using Coordinator.Domain.State;

namespace Coordinator.Abstractions;

/// <summary>
/// A Rollout manifest parsed (and checked against the input limits) once, by whoever received it, and handed to the
/// grain of every target cluster: the grains never parse user text. Immutable, so a call to a grain in the same silo
/// passes this very object, its parsed spec included; across silos the spec travels as JSON (the Domain's records
/// carry no Orleans attributes) and is rebuilt on first use.
/// </summary>
[GenerateSerializer, Immutable, Alias("coordinator.ParsedManifest")]
public sealed class ParsedManifest
{
    private static readonly JsonSerializerOptions SpecJsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    [NonSerialized] private RolloutSpec? _spec;

    private ParsedManifest(string text, string name, string? @namespace, string specJson, RolloutSpec? spec)
    {
        Text = text;
        Name = name;
        Namespace = @namespace;
        SpecJson = specJson;
        _spec = spec;
    }

    /// <summary>The manifest as the user wrote it (what the grain stores).</summary>
    [Id(0)] public string Text { get; }

    [Id(1)] public string Name { get; }

    [Id(2)] public string? Namespace { get; }

    [Id(3)] public string SpecJson { get; }

    public RolloutSpec Spec => _spec ??= JsonSerializer.Deserialize<RolloutSpec>(SpecJson, SpecJsonOptions)
        ?? throw new JsonException("the parsed manifest carries no spec");

    public RolloutManifest Manifest => new(Name, Namespace, Spec);

    public static ParsedManifest From(string text, RolloutManifest manifest) =>
        new(text, manifest.Name, manifest.Namespace, JsonSerializer.Serialize(manifest.Spec, SpecJsonOptions), manifest.Spec);

    /// <exception cref="ManifestException">As <see cref="RolloutManifest.Parse(string, ManifestLimits)"/>.</exception>
    public static ParsedManifest Parse(string text, ManifestLimits? limits = null) =>
        From(text, RolloutManifest.Parse(text, limits ?? ManifestLimits.Default));
}
