using Coordinator.Domain.Fleet;
using Orleans.Concurrency;

namespace Coordinator.Grains.Fleet;

/// <summary>
/// What a FleetRollout asks of one cluster's Rollout. Implemented by the RolloutGrain (same key, same activation), kept
/// apart from <c>IRolloutGrain</c> because only the fleet grain calls it.
/// </summary>
public interface IFleetMemberGrain : IGrainWithStringKey
{
    /// <summary>
    /// Refuses (a <c>RolloutCommandException</c> naming <c>spec.template.spec.containers[i].name</c>) a template patch whose
    /// containers the Rollout's Deployment does not have; writes nothing.
    /// </summary>
    Task CheckFleetChange(string templatePatchJson);

    /// <summary>
    /// Writes the fleet's template change to the Rollout's Deployment (the Rollout then carries the canary) and from now
    /// on tells fleet <paramref name="fleet"/> of every change. The Deployment's template before the first write of this
    /// run is kept for <see cref="RevertFleetChange"/>; a repeated call (a retry) writes again and keeps it.
    /// </summary>
    Task<FleetChangeResult> StartFleetChange(string fleet, int run, string templatePatchJson);

    /// <summary>Writes back the Deployment's template from before the fleet's change of run <paramref name="run"/>.</summary>
    Task<MemberProgress> RevertFleetChange(string fleet, int run);

    /// <summary>The Rollout's spec as persisted JSON (for the plan's estimate); null when the Rollout does not exist.</summary>
    [AlwaysInterleave, ReadOnly]
    Task<string?> RolloutSpecJson();

    /// <summary>The Rollout as the fleet judges it, including whether its cluster answers.</summary>
    [AlwaysInterleave, ReadOnly]
    Task<MemberProgress> FleetProgress();
}

/// <summary>A cluster's Rollout as reported to its fleet (the wire form of <see cref="ClusterProgress"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record MemberProgress
{
    [Id(0)] public string Cluster { get; init; } = "";
    [Id(1)] public bool Exists { get; init; }
    [Id(2)] public string Phase { get; init; } = "";
    [Id(3)] public string Message { get; init; } = "";
    [Id(4)] public bool Aborted { get; init; }
    [Id(5)] public int? Step { get; init; }
    [Id(6)] public int StepCount { get; init; }
    [Id(7)] public int CanaryWeight { get; init; }
    [Id(8)] public int Revision { get; init; }
    [Id(9)] public string CurrentPodHash { get; init; } = "";
    [Id(10)] public string StableHash { get; init; } = "";
    [Id(11)] public string? LastCallFailure { get; init; }
    [Id(12)] public DateTimeOffset? FailingSince { get; init; }

    public ClusterProgress ToDomain() => new()
    {
        Exists = Exists, Phase = Phase, Message = Message, Aborted = Aborted, Step = Step, StepCount = StepCount,
        CanaryWeight = CanaryWeight, Revision = Revision, CurrentPodHash = CurrentPodHash, StableHash = StableHash,
        LastCallFailure = LastCallFailure, FailingSince = FailingSince,
    };
}

/// <summary>A template change written: the hash it gives, the stable hash before it, and the Rollout right after.</summary>
[GenerateSerializer, Immutable]
public sealed record FleetChangeResult(
    [property: Id(0)] string TargetHash,
    [property: Id(1)] string PreviousHash,
    [property: Id(2)] MemberProgress Progress);
