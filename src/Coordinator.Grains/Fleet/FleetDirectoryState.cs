using Coordinator.Abstractions;

namespace Coordinator.Grains.Fleet;

[GenerateSerializer]
public sealed class FleetDirectoryState
{
    [Id(0)] public HashSet<RolloutKey> Rollouts { get; set; } = [];

    /// <summary>The names of the FleetRollouts that exist.</summary>
    [Id(1)] public HashSet<string> Fleets { get; set; } = new(StringComparer.Ordinal);
}
