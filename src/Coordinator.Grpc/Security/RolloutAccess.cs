using Coordinator.Abstractions;
using Grpc.Core;

namespace Coordinator.Grpc.Security;

/// <summary>
/// Authorization of the <c>coordinator.v1</c> calls. Rollouts per cluster: a mutating call whose targets include a
/// cluster the caller may not act in is refused as a whole, before any grain is called; reads return only what the
/// caller may get. FleetRollouts by name (resource <c>fleets</c>). Without a policy (authentication off) everything is
/// allowed. Also notes what the call touches for the audit record.
/// </summary>
public sealed class RolloutAccess(RbacPolicy? policy)
{
    internal const string AuditObjectKey = "coordinator.audit.object";
    internal const string AuditClustersKey = "coordinator.audit.clusters";

    /// <summary>Everything allowed: the embedded default, where nothing is authenticated.</summary>
    public static RolloutAccess Open { get; } = new(null);

    public bool Enforced => policy is not null;

    /// <summary>Refuses the call with PermissionDenied unless the caller may do <paramref name="action"/> on every key.</summary>
    public void Authorize(ServerCallContext context, string action, IReadOnlyList<RolloutKey> keys)
    {
        Note(context, keys);
        var caller = Caller.From(context);
        if (keys.FirstOrDefault(k => !Allows(caller, RbacActions.Rollouts, action, ObjectOf(k))) is { } denied)
            throw Denied(caller, action, RbacActions.Rollouts, ObjectOf(denied));
    }

    /// <summary>The keys the caller may get; PermissionDenied when there were some and none is readable.</summary>
    public IReadOnlyList<RolloutKey> Readable(ServerCallContext context, IReadOnlyList<RolloutKey> keys)
    {
        var caller = Caller.From(context);
        var readable = keys.Where(k => Allows(caller, RbacActions.Rollouts, RbacActions.Get, ObjectOf(k))).ToList();
        if (keys.Count > 0 && readable.Count == 0) throw Denied(caller, RbacActions.Get, RbacActions.Rollouts, ObjectOf(keys[0]));
        return readable;
    }

    /// <summary>Refuses the call with PermissionDenied unless the caller may do <paramref name="action"/> on the fleet.</summary>
    public void AuthorizeFleet(ServerCallContext context, string action, string fleet)
    {
        context.UserState[AuditObjectKey] = fleet;
        var caller = Caller.From(context);
        if (!Allows(caller, RbacActions.Fleets, action, fleet)) throw Denied(caller, action, RbacActions.Fleets, fleet);
    }

    /// <summary>For the audit record: the clusters a fleet command reached (the run's, known once the grain answered).</summary>
    public static void NoteFleetClusters(ServerCallContext context, IReadOnlyList<string> clusters) =>
        context.UserState[AuditClustersKey] = clusters;

    public Func<string, bool> MayGetFleet(ServerCallContext context)
    {
        var caller = Caller.From(context);
        return fleet => Allows(caller, RbacActions.Fleets, RbacActions.Get, fleet);
    }

    public Func<RolloutKey, bool> MayGetRollout(ServerCallContext context)
    {
        var caller = Caller.From(context);
        return key => Allows(caller, RbacActions.Rollouts, RbacActions.Get, ObjectOf(key));
    }

    public Func<string, bool> MayGetCluster(ServerCallContext context)
    {
        var caller = Caller.From(context);
        return cluster => Allows(caller, RbacActions.Clusters, RbacActions.Get, cluster);
    }

    /// <summary>Policy objects of rollouts are <c>cluster/namespace/name</c>.</summary>
    public static string ObjectOf(RolloutKey key) => $"{key.Cluster}/{key.Namespace}/{key.Name}";

    /// <summary>The one decision every API (gRPC and the web page's) takes: may the caller do the action on the object.</summary>
    public bool Allows(Caller caller, string resource, string action, string @object) =>
        policy is null || (caller.Authenticated && policy.Allows(caller.User, caller.Groups, resource, action, @object));

    /// <summary>The refusal's text, the same on every API.</summary>
    public static string DeniedMessage(Caller caller, string action, string resource, string @object) =>
        $"permission denied: user \"{caller.User}\" may not {action} {resource} \"{@object}\"";

    private static RpcException Denied(Caller caller, string action, string resource, string @object) =>
        new(new Status(StatusCode.PermissionDenied, DeniedMessage(caller, action, resource, @object)));

    private static void Note(ServerCallContext context, IReadOnlyList<RolloutKey> keys)
    {
        if (keys.Count == 0) return;
        context.UserState[AuditObjectKey] = $"{keys[0].Namespace}/{keys[0].Name}";
        context.UserState[AuditClustersKey] = keys.Select(k => k.Cluster).ToList();
    }
}
