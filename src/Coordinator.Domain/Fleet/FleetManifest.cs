using Coordinator.Domain.Manifest;

namespace Coordinator.Domain.Fleet;

/// <summary>
/// A FleetRollout manifest as users write it, YAML or JSON, read under the same input limits as a Rollout manifest.
/// Unknown fields are refused naming the field, as for the Rollout.
/// </summary>
public sealed record FleetManifest(string Name, FleetSpec Spec)
{
    public const string ApiVersion = "coordinator.io/v1alpha1";
    public const string Kind = "FleetRollout";

    /// <exception cref="ManifestException">Malformed text, wrong apiVersion/kind, a limit exceeded, or a mistyped or unknown field.</exception>
    public static FleetManifest Parse(string text, ManifestLimits limits) =>
        throw new NotImplementedException("CONTRACT STUB: implemented by the fleet-spec helper");
}
