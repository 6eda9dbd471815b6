using Grpc.Core;

namespace Coordinator.Grpc;

/// <summary>Who a per-client limit counts against; the one place that decides it.</summary>
public static class ClientIdentity
{
    /// <summary>
    /// The authenticated user's name when the call is authenticated, else the peer's IP address (without the port:
    /// a client opening more connections is still one client).
    /// </summary>
    public static string Of(ServerCallContext context)
    {
        var http = context.GetHttpContext();
        if (http.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } user })
            return $"user {user}";
        return http.Connection.RemoteIpAddress is { } address ? $"address {address}" : $"peer {context.Peer}";
    }
}
