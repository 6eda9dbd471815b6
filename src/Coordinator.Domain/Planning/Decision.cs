using Coordinator.Domain.Actions;
using Coordinator.Domain.State;

namespace Coordinator.Domain.Planning;

/// <summary>
/// The planner's answer: the status to persist, the writes to apply (in order), and when to look again.
/// </summary>
/// <param name="NewStatus">Persist it once every action was applied; on a failed action keep the old status and retry.</param>
/// <param name="Actions">Cluster writes and the events that report them, in the order to apply them.</param>
/// <param name="WakeAt">Earliest future deadline (pause end, scale-down deadline, progress deadline, invalid-spec retry);
/// null when nothing is timed. A watch event may wake the caller earlier.</param>
public sealed record Decision(RolloutStatus NewStatus, IReadOnlyList<RolloutAction> Actions, DateTimeOffset? WakeAt)
{
    /// <summary>True when the caller must apply actions, re-observe and call Decide again.</summary>
    public bool HasActions => Actions.Count > 0;

    /// <summary>True when at least one action writes to the cluster (beyond events).</summary>
    public bool HasClusterWrites => Actions.Any(a => a is not EmitEvent);

    public IEnumerable<EmitEvent> Events => Actions.OfType<EmitEvent>();
}
