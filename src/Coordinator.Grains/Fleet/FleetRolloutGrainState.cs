namespace Coordinator.Grains.Fleet;

/// <summary>
/// What a FleetRollout grain persists: the spec and plan frozen for the current run and the run's state, as JSON of the
/// Domain records (as <c>RolloutGrainState</c>). Every deadline is a timestamp in the run state or here.
/// </summary>
[GenerateSerializer]
public sealed class FleetRolloutGrainState
{
    /// <summary>The manifest of the current run as the user applied it.</summary>
    [Id(0)] public string? Manifest { get; set; }

    [Id(1)] public string? SpecJson { get; set; }

    /// <summary>The waves resolved to clusters when the run started.</summary>
    [Id(2)] public string? PlanJson { get; set; }

    /// <summary>
    /// The run state without its clusters, which are saved in shards (<see cref="FleetRunShards"/>); a state saved before
    /// shards existed (<see cref="RunShards"/> 0) holds them here.
    /// </summary>
    [Id(3)] public string? RunJson { get; set; }

    /// <summary>A spec applied while the current run was in progress: it starts the next run once this one ends.</summary>
    [Id(4)] public string? QueuedManifest { get; set; }

    [Id(5)] public string? QueuedSpecJson { get; set; }

    /// <summary>When the planner wants to look again; the timer and the reminder are derived from it.</summary>
    [Id(6)] public DateTimeOffset? WakeAt { get; set; }

    [Id(7)] public long Version { get; set; }

    /// <summary>Counts the saves of the run: a shard slot written for a later save than this one is not part of the saved run.</summary>
    [Id(8)] public long Commit { get; set; }

    /// <summary>Names the run's shard slots (see <see cref="FleetRunShardState.RunId"/>).</summary>
    [Id(9)] public string? RunId { get; set; }

    /// <summary>How many shards hold the run's clusters; 0 for a state saved with its clusters in <see cref="RunJson"/>.</summary>
    [Id(10)] public int RunShards { get; set; }

    /// <summary>The most shards any run of this fleet wrote: the slots a deletion clears.</summary>
    [Id(11)] public int ShardSlots { get; set; }
}
