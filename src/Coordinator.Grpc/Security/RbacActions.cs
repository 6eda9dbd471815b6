namespace Coordinator.Grpc.Security;

/// <summary>The resources and actions of the policy language (Argo CD's RBAC, with Coordinator's verbs).</summary>
public static class RbacActions
{
    public const string Rollouts = "rollouts";
    public const string Fleets = "fleets";
    public const string Clusters = "clusters";

    /// <summary>get covers get, list and watch.</summary>
    public const string Get = "get";

    public static readonly IReadOnlySet<string> Resources = new HashSet<string>(StringComparer.Ordinal) { Rollouts, Fleets, Clusters };

    public static readonly IReadOnlySet<string> Actions = new HashSet<string>(StringComparer.Ordinal)
    {
        Get, "apply", "delete", "promote", "abort", "retry", "pause", "resume", "undo", "set-image",
        // The fleet API's own verbs (fleets also take get, apply, delete, abort and resume).
        "approve", "halt", "revert",
    };

    /// <summary>
    /// The action each mutating gRPC method needs: on <c>rollouts</c> for the Rollouts service, on <c>fleets</c> for the
    /// FleetRollouts service. Methods not listed only read (get); each listed one gets an audit record.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> MutatingMethods = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ApplyRollout"] = "apply",
        ["PromoteRollout"] = "promote",
        ["AbortRollout"] = "abort",
        ["RetryRollout"] = "retry",
        ["PauseRollout"] = "pause",
        ["ResumeRollout"] = "resume",
        ["SetImage"] = "set-image",
        ["UndoRollout"] = "undo",
        ["DeleteRollout"] = "delete",
        ["ApplyFleetRollout"] = "apply",
        ["ApproveFleetRollout"] = "approve",
        ["HaltFleetRollout"] = "halt",
        ["ResumeFleetRollout"] = "resume",
        ["AbortFleetRollout"] = "abort",
        ["RevertFleetRollout"] = "revert",
        ["DeleteFleetRollout"] = "delete",
    };
}
