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

    [Id(3)] public string? RunJson { get; set; }

    /// <summary>A spec applied while the current run was in progress: it starts the next run once this one ends.</summary>
    [Id(4)] public string? QueuedManifest { get; set; }

    [Id(5)] public string? QueuedSpecJson { get; set; }

    /// <summary>When the planner wants to look again; the timer and the reminder are derived from it.</summary>
    [Id(6)] public DateTimeOffset? WakeAt { get; set; }

    [Id(7)] public long Version { get; set; }
}
