using Coordinator.Domain.Actions;
using Coordinator.Domain.State;

namespace Coordinator.Domain.Planning;

/// <summary>
/// A planner's answer for one pass, live (<see cref="RolloutPlanner"/>) or being deleted
/// (<see cref="RolloutDeletionPlanner"/>): the status to persist, the writes to apply (in order), and when to look again.
/// </summary>
/// <param name="NewStatus">Persist it once every action was applied; on a failed action keep the old status and retry.
/// The deletion planner hands the status back unchanged.</param>
/// <param name="Actions">Cluster writes and the events that report them, in the order to apply them.</param>
/// <param name="WakeAt">Earliest future deadline (pause end, scale-down deadline, progress deadline, invalid-spec retry,
/// deletion hand-back deadline); null when nothing is timed. A watch event may wake the caller earlier.</param>
/// <param name="Finished">Deletion only: nothing of the Rollout is left in the cluster (Services clean, no ReplicaSets).</param>
/// <param name="Warning">Deletion only: traffic was handed back although the Deployment was not ready by the deadline.</param>
public sealed record Decision(
    RolloutStatus NewStatus,
    IReadOnlyList<RolloutAction> Actions,
    DateTimeOffset? WakeAt,
    bool Finished = false,
    string? Warning = null)
{
    /// <summary>
    /// Whether <see cref="NewStatus"/> equals the status the planner was given (<see cref="StatusComparer"/>), when the
    /// planner compared them anyway; null when the caller has to.
    /// </summary>
    public bool? StatusKept { get; init; }
}
