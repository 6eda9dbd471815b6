using Coordinator.Abstractions;

namespace Coordinator.Grains.Rollouts;

/// <summary>
/// What a Rollout grain persists. Spec and status are stored as JSON of the Domain records (the Domain
/// stays free of Orleans attributes, and the stored form is readable in the storage account). Every
/// deadline (pause end, scale-down, deletion) is a timestamp in the status or here, never a timer only.
/// </summary>
[GenerateSerializer]
public sealed class RolloutGrainState
{
    /// <summary>
    /// The manifest text, as earlier versions stored it. No longer written: nothing read it, and it made every save and
    /// every activation carry the manifest beside the spec it was parsed into. An apply clears it.
    /// </summary>
    [Id(0)] public string? Manifest { get; set; }

    /// <summary>The effective spec (the manifest's, with pause/resume applied).</summary>
    [Id(1)] public string? SpecJson { get; set; }

    /// <summary>
    /// The status as JSON: made from the record last passed to <see cref="SaveStatus"/> when the state is written,
    /// unless it was set (as loading the state sets it). Not kept between writes: a Rollout's status is ~2.5 KB of JSON
    /// with its timestamps, a string per Rollout beside the record it was made from (25 MiB at 10,000 Rollouts).
    /// </summary>
    [Id(2)]
    public string? StatusJson
    {
        get => _statusJson ?? (_savedStatus is { } status ? StateJson.Serialize(status) : null);
        set => _statusJson = value;
    }

    [NonSerialized] private string? _statusJson;

    [NonSerialized] private Coordinator.Domain.State.RolloutStatus? _savedStatus;

    /// <summary>The status this state saves from now on (records are never changed in place): its JSON is made by each write.</summary>
    public void SaveStatus(Coordinator.Domain.State.RolloutStatus status) => (_savedStatus, _statusJson) = (status, null);

    /// <summary>Stands in for the Rollout object's uid in owner references and events.</summary>
    [Id(3)] public string Uid { get; set; } = "";

    [Id(4)] public bool Deleting { get; set; }

    [Id(5)] public DateTimeOffset? DeletionStartedAt { get; set; }

    /// <summary>When the planner wants to look again; the timer and the reminder are derived from it.</summary>
    [Id(6)] public DateTimeOffset? WakeAt { get; set; }

    /// <summary>The most recent Events recorded, oldest first (bounded to what a snapshot shows).</summary>
    [Id(7)] public List<RolloutEventRecord> Events { get; set; } = [];

    [Id(8)] public long Version { get; set; }

    // Id(9) held a template pending undo, no longer used: state written with it still reads (the field is skipped).

    /// <summary>When the Rollout was first applied: stands in for the Rollout object's creationTimestamp (its AGE).
    /// Null in state written before this field existed.</summary>
    [Id(10)] public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>The FleetRollout whose run changed this Rollout's Deployment last: told of every published change.</summary>
    [Id(11)] public string? FleetName { get; set; }

    [Id(12)] public int FleetRun { get; set; }

    /// <summary>The Deployment's template before that run's first write, for the fleet's revert.</summary>
    [Id(13)] public string? FleetPreviousTemplate { get; set; }

    /// <summary>The stable hash before that run's first write.</summary>
    [Id(14)] public string? FleetPreviousHash { get; set; }

    /// <summary>How many Events this Rollout has recorded: the next Event's sequence number (which names it in the cluster).</summary>
    [Id(15)] public long EventsRecorded { get; set; }

    /// <summary>Events recorded here and not yet known to be written into the cluster, oldest first.</summary>
    [Id(16)] public List<UnsentRolloutEvent> UnsentEvents { get; set; } = [];

    /// <summary>
    /// The deadline the wake reminder was last moved to (it then ticks every period): a new activation knows its
    /// reminder without registering it again, which after a silo failure was one storage write per Rollout brought back.
    /// Saved with the status whose deadline it backs, before the registration lands (see RolloutGrain.Scheduling.cs).
    /// </summary>
    [Id(17)] public DateTimeOffset? ReminderDueAt { get; set; }
}
