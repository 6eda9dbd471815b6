using Orleans.Concurrency;

namespace Coordinator.Abstractions;

/// <summary>
/// The fleet's directory (one grain, key 0): the configured clusters with their labels and
/// reachability, and the keys of every Rollout that exists, so that list calls need not scan.
/// </summary>
public interface IFleetDirectoryGrain : IGrainWithIntegerKey
{
    [AlwaysInterleave, ReadOnly]
    Task<IReadOnlyList<ClusterInfo>> ListClusters(bool probe);

    [AlwaysInterleave, ReadOnly]
    Task<IReadOnlyList<RolloutKey>> ListRollouts();

    /// <summary>Records a new Rollout; returns once that is saved (changes that arrive together share one save).</summary>
    [AlwaysInterleave]
    Task RolloutCreated(RolloutKey key);

    [AlwaysInterleave]
    Task RolloutRemoved(RolloutKey key);

    /// <summary>The names of every FleetRollout that exists.</summary>
    [AlwaysInterleave, ReadOnly]
    Task<IReadOnlyList<string>> ListFleets();

    [AlwaysInterleave]
    Task FleetCreated(string name);

    [AlwaysInterleave]
    Task FleetRemoved(string name);
}

[GenerateSerializer, Immutable]
public sealed record ClusterInfo
{
    [Id(0)] public string Name { get; init; } = "";
    [Id(1)] public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>The API server URL; never carries credentials.</summary>
    [Id(2)] public string Server { get; init; } = "";
    [Id(3)] public bool? Reachable { get; init; }
    [Id(4)] public string Version { get; init; } = "";
    [Id(5)] public string Error { get; init; } = "";
}
