namespace Coordinator.Grains.Fleet;

/// <summary>
/// One slot of one shard of a fleet run's clusters (see <see cref="FleetRunShards"/>): the JSON of up to
/// <see cref="FleetRunShards.ClustersPerShard"/> cluster records, stamped with the run and the save it was written for.
/// </summary>
[GenerateSerializer]
public sealed class FleetRunShardState
{
    /// <summary>The run these clusters belong to (new for every run, so that a slot left by another run is never read as this one's).</summary>
    [Id(0)] public string? RunId { get; set; }

    /// <summary>The save (<see cref="FleetRolloutGrainState.Commit"/>) that wrote this slot; it counts once the head of that save is saved.</summary>
    [Id(1)] public long Commit { get; set; }

    /// <summary>A JSON array of the shard's cluster records, in the run's order.</summary>
    [Id(2)] public string? ClustersJson { get; set; }
}
