using Coordinator.Abstractions;
using Grpc.Core;

namespace Coordinator.Grpc;

/// <summary>Maps refused commands to gRPC status codes; the message always names the field.</summary>
internal static class CommandErrors
{
    public static StatusCode ToStatusCode(this CommandFailure failure) => failure switch
    {
        CommandFailure.InvalidArgument => StatusCode.InvalidArgument,
        CommandFailure.NotFound => StatusCode.NotFound,
        CommandFailure.FailedPrecondition => StatusCode.FailedPrecondition,
        CommandFailure.Unavailable => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    public static RpcException ToRpc(this RolloutCommandException ex, string cluster) =>
        new(new Status(ex.Failure.ToStatusCode(), $"cluster {cluster}: {ex.Message}"),
            new Metadata { { "field", ex.Field }, { "cluster", cluster } });

    /// <summary>A refusal of a grain that spans clusters (a FleetRollout): the message is the grain's, which names the field.</summary>
    public static RpcException ToRpc(this RolloutCommandException ex) =>
        new(new Status(ex.Failure.ToStatusCode(), ex.Message), new Metadata { { "field", ex.Field } });

    /// <summary>
    /// One error for a call that failed in several clusters: each cluster named with what happened there, in cluster
    /// order (<c>cluster dev: …; cluster prod: …</c>). The status code is the first cluster's; the field metadata stays
    /// when all clusters refused the same field.
    /// </summary>
    public static RpcException InEveryCluster(IReadOnlyList<(string Cluster, RpcException Error)> failures)
    {
        if (failures.Count == 1) return failures[0].Error;
        var ordered = failures.OrderBy(f => f.Cluster, StringComparer.Ordinal).ToList();
        var detail = string.Join("; ", ordered.Select(f => f.Error.Status.Detail.StartsWith($"cluster {f.Cluster}:", StringComparison.Ordinal)
            ? f.Error.Status.Detail
            : $"cluster {f.Cluster}: {f.Error.Status.Detail}"));
        var metadata = new Metadata { { "clusters", string.Join(",", ordered.Select(f => f.Cluster)) } };
        var fields = ordered.Select(f => f.Error.Trailers.GetValue("field")).Distinct().ToList();
        if (fields is [{ } field]) metadata.Add("field", field);
        return new RpcException(new Status(ordered[0].Error.StatusCode, detail), metadata);
    }

    public static RpcException NotFound(string field, string message) =>
        new(new Status(StatusCode.NotFound, message), new Metadata { { "field", field } });

    public static RpcException Invalid(string field, string message) =>
        new(new Status(StatusCode.InvalidArgument, $"{field}: {message}"), new Metadata { { "field", field } });
}
