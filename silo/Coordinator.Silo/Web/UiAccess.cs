using Coordinator.Abstractions;
using Coordinator.Grpc.Security;

namespace Coordinator.Silo.Web;

/// <summary>
/// The page's view of the authorization the gRPC API enforces (<see cref="RolloutAccess"/>, the same policy object):
/// which actions a user may take, so the page offers only those; the actions' endpoints check again.
/// </summary>
internal sealed class UiAccess(RolloutAccess access)
{
    /// <summary>The fleet verbs the page offers, in the order of its buttons.</summary>
    public static readonly IReadOnlyList<string> FleetActions = ["approve", "halt", "resume", "abort", "revert"];

    /// <summary>The per-cluster Rollout verbs the page offers.</summary>
    public static readonly IReadOnlyList<string> RolloutActions = ["promote", "abort"];

    public bool MayGetFleet(Caller caller, string fleet) => access.Allows(caller, RbacActions.Fleets, RbacActions.Get, fleet);

    public bool MayGetRollout(Caller caller, RolloutKey key) =>
        access.Allows(caller, RbacActions.Rollouts, RbacActions.Get, RolloutAccess.ObjectOf(key));

    public IReadOnlyList<string> FleetActionsOf(Caller caller, string fleet) =>
        FleetActions.Where(a => access.Allows(caller, RbacActions.Fleets, a, fleet)).ToList();

    public IReadOnlyList<string> RolloutActionsOf(Caller caller, RolloutKey key) =>
        RolloutActions.Where(a => access.Allows(caller, RbacActions.Rollouts, a, RolloutAccess.ObjectOf(key))).ToList();

    /// <summary>Null when allowed, else the refusal in the gRPC API's words.</summary>
    public string? Refusal(Caller caller, string resource, string action, string @object) =>
        access.Allows(caller, resource, action, @object) ? null : RolloutAccess.DeniedMessage(caller, action, resource, @object);
}
