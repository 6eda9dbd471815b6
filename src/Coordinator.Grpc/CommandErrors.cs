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

    public static RpcException NotFound(string field, string message) =>
        new(new Status(StatusCode.NotFound, message), new Metadata { { "field", field } });

    public static RpcException Invalid(string field, string message) =>
        new(new Status(StatusCode.InvalidArgument, $"{field}: {message}"), new Metadata { { "field", field } });
}
