using Coordinator.Domain.Actions;
using Coordinator.Domain.Observation;
using Coordinator.Domain.State;

namespace Coordinator.Domain.Planning;

/// <summary>
/// The owner ConfigMap (<see cref="RolloutOwner"/>): created before anything else, made the controller of every
/// ReplicaSet of the rollout, and kept showing the rollout's status.
/// </summary>
public static partial class RolloutPlanner
{
    /// <summary>
    /// A decision that must come before any reconcile: create the owner when it is missing (ReplicaSets need its uid),
    /// or adopt ReplicaSets controlled by anything else (an argoproj Rollout whose uid exists nowhere, which the garbage
    /// collector would act on). Adoption only rewrites ownerReferences: no pod, selector or weight changes.
    /// </summary>
    private static Decision? OwnerPrerequisite(RolloutSpec spec, RolloutStatus status, ClusterObservation observed)
    {
        if (observed.Owner is not { } owner)
        {
            return new Decision(status, [OwnerWrite(spec, status, observed.RolloutName, create: true)], null);
        }

        if (!RolloutOwner.BelongsTo(owner, observed.RolloutName))
        {
            return null; // someone else's ConfigMap: validation reports it, nothing is adopted
        }

        var orphans = observed.ReplicaSets.Where(rs => rs.ControllerUid != owner.Uid).Select(rs => (RolloutAction)new AdoptReplicaSet(rs.Name)).ToList();
        return orphans.Count > 0 ? new Decision(status, orphans, null) : null;
    }

    /// <summary>
    /// Brings the owner's data up to date with the decision's status. Only when the data differ, and only in a decision
    /// that writes a cluster object anyway or is a fixpoint (no actions, status kept): a pass that only moves the status
    /// or emits events is left alone (the caller decides again on the same observation, and its status is persisted
    /// with the next write), so several status steps cost one ConfigMap write. Put last: it shows the outcome of the
    /// decision's writes and adds no latency before them (a pause's end to its weight write). It is display only: should
    /// it fail, the caller keeps the decision's status (every other write landed) and retries it.
    /// </summary>
    private static IReadOnlyList<RolloutAction> WithOwnerData(RolloutSpec spec, RolloutStatus status, ClusterObservation observed, List<RolloutAction> actions, bool statusKept)
    {
        if (observed.Owner is not { } owner || !RolloutOwner.BelongsTo(owner, observed.RolloutName)
            || RolloutOwner.Shows(owner.Data, spec, status))
        {
            return actions;
        }

        var writesObjects = actions.Any(a => a is not EmitEvent);
        var fixpoint = actions.Count == 0 && statusKept;
        return writesObjects || fixpoint ? [.. actions, OwnerWrite(spec, status, observed.RolloutName, create: false)] : actions;
    }

    private static WriteOwnerConfigMap OwnerWrite(RolloutSpec spec, RolloutStatus status, string rollout, bool create) =>
        new(RolloutOwner.ConfigMapName(rollout), create, RolloutOwner.Labels(rollout), RolloutOwner.Annotations(rollout), RolloutOwner.Data(spec, status));

    private static OwnerReferenceInfo OwnerReference(string rollout) => new(RolloutOwner.ApiVersion, RolloutOwner.Kind, RolloutOwner.ConfigMapName(rollout));
}
