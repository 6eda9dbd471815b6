using Coordinator.Domain.Manifest;

namespace Coordinator.Domain.Fleet;

/// <summary>
/// A FleetRollout manifest as users write it, YAML or JSON, read under the same input limits as a Rollout manifest.
/// Unknown fields are refused naming the field, as for the Rollout. As <see cref="RolloutManifest"/>, parsing checks
/// shape and types only; <see cref="FleetValidator"/> checks values and cross-field rules, and
/// <see cref="FleetWaves.Resolve"/> checks the spec against the fleet.
/// </summary>
public sealed record FleetManifest(string Name, FleetSpec Spec)
{
    public const string ApiVersion = "coordinator.io/v1alpha1";
    public const string Kind = "FleetRollout";

    /// <exception cref="ManifestException">Malformed text, wrong apiVersion/kind, a limit exceeded, or a mistyped or unknown field.</exception>
    public static FleetManifest Parse(string text, ManifestLimits limits)
    {
        var document = ManifestDocument.Read(text, limits, ApiVersion, Kind);
        var reader = document.Reader;
        if (document.Metadata["namespace"] is { } @namespace)
        {
            throw reader.Error(@namespace, "metadata.namespace",
                "a FleetRollout is not namespaced (it spans clusters); the Rollout's namespace is spec.rollout.namespace");
        }

        reader.RejectUnknown(document.Metadata, "metadata", FleetSchema.Metadata);
        reader.StringMap(document.Metadata, "labels", "metadata");
        reader.StringMap(document.Metadata, "annotations", "metadata");
        var spec = document.Spec;
        reader.RejectUnknown(document.Root, "", FleetSchema.Document);
        return new FleetManifest(document.Name, new FleetSpecReader(reader).ReadSpec(spec));
    }
}
