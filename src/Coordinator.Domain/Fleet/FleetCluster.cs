namespace Coordinator.Domain.Fleet;

/// <summary>A cluster as the fleet sees it when it resolves waves: its name and labels from the cluster registry.</summary>
public sealed record FleetCluster(string Name, IReadOnlyDictionary<string, string> Labels);
