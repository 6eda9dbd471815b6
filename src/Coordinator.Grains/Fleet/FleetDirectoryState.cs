using Coordinator.Abstractions;

namespace Coordinator.Grains.Fleet;

[GenerateSerializer]
public sealed class FleetDirectoryState
{
    [Id(0)] public HashSet<RolloutKey> Rollouts { get; set; } = [];
}
