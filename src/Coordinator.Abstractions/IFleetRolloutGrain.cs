using Orleans.Concurrency;

namespace Coordinator.Abstractions;

/// <summary>
/// One FleetRollout (key: its name): a change carried through the fleet's clusters in waves. Applying a manifest starts
/// a run with a frozen plan; commands steer the run. Every command returns the snapshot after it was persisted.
/// Refusals are <see cref="RolloutCommandException"/>s naming the field, as for rollouts.
/// </summary>
public interface IFleetRolloutGrain : IGrainWithStringKey
{
    /// <summary>Validates the manifest against the fleet (clusters, waves, the Rollout's Deployment) and starts a run;
    /// a changed spec while a run is in progress starts a new run only after the current one ends (it keeps its plan).</summary>
    Task<FleetSnapshot> Apply(ParsedFleetManifest manifest);

    /// <summary>The plan a manifest would run: waves with their resolved clusters and an estimated duration. Writes nothing.</summary>
    [AlwaysInterleave, ReadOnly]
    Task<FleetPlanPreview> Plan(ParsedFleetManifest manifest);

    [AlwaysInterleave, ReadOnly]
    Task<FleetSnapshot> Get();

    /// <summary>Approves the wave waiting for approval, or the named wave ahead of time.</summary>
    Task<FleetSnapshot> Approve(string? wave);

    /// <summary>No new cluster starts; clusters in progress are aborted.</summary>
    Task<FleetSnapshot> Halt();

    /// <summary>Continues a halted run (a budget spent stays spent: resume is the user's decision to go on anyway).</summary>
    Task<FleetSnapshot> Resume();

    /// <summary>Ends the run: clusters in progress are aborted; with <paramref name="revert"/> every updated cluster goes back.</summary>
    Task<FleetSnapshot> Abort(bool revert);

    /// <summary>Every cluster already updated goes back to its previous template, last wave first, with the same maxParallel.</summary>
    Task<FleetSnapshot> Revert();

    /// <summary>Forgets the FleetRollout (a run in progress is aborted first); clusters keep what they run.</summary>
    Task<FleetSnapshot> Delete();

    /// <summary>Every snapshot newer than <paramref name="afterVersion"/> (oldest first), waiting up to <paramref name="wait"/>.</summary>
    [AlwaysInterleave, ReadOnly]
    Task<IReadOnlyList<FleetSnapshot>> ChangesSince(long afterVersion, TimeSpan wait);
}
