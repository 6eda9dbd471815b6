using Microsoft.Extensions.Logging;

namespace Coordinator.Grpc.Security;

/// <summary>
/// The audit record of one mutating call, whichever API it came through (gRPC or the web page): who (user, groups,
/// peer), what (action, object), which clusters, the outcome and the time. One template, so one log query finds all.
/// Never logs credentials.
/// </summary>
public sealed class AuditLog(ILoggerFactory loggers, TimeProvider time)
{
    public const string Category = "Coordinator.Audit";

    private readonly ILogger _audit = loggers.CreateLogger(Category);

    /// <param name="result">The outcome in gRPC's status names (OK, PermissionDenied, NotFound, FailedPrecondition, ...).</param>
    /// <param name="method">The gRPC method (<c>/coordinator.v1.FleetRollouts/ApproveFleetRollout</c>) or HTTP request (<c>POST /ui/api/...</c>).</param>
    public void Write(Caller caller, string action, string? @object, IReadOnlyList<string>? clusters, string result, string method) =>
        _audit.LogInformation("Audit {User} {Action} {Object} {Clusters} {Result} (groups {Groups}, peer {Peer}, method {Method}, at {Time})",
            caller.User, action, @object ?? "-", clusters ?? [], result, caller.Groups, caller.Peer, method, time.GetUtcNow());
}
