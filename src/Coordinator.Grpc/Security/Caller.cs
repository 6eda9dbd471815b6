using System.Security.Claims;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Coordinator.Grpc.Security;

/// <summary>Who makes a gRPC call: the authenticated user and groups (claims set by the silo's authentication) and the peer address.</summary>
public sealed record Caller(string User, IReadOnlyList<string> Groups, string Peer, bool Authenticated)
{
    /// <summary>Kubernetes' name for a caller without credentials (only seen when authentication is off).</summary>
    public const string Anonymous = "system:anonymous";

    /// <summary>Claim types the authentication handlers put the user and the groups into.</summary>
    public const string NameClaim = ClaimTypes.Name;
    public const string GroupClaim = "coordinator.io/group";

    /// <summary>The principal every authentication scheme produces: the user and its groups under the claim types read here.</summary>
    public static ClaimsPrincipal Principal(string scheme, string user, IEnumerable<string> groups, params Claim[] extra)
    {
        var identity = new ClaimsIdentity(scheme, NameClaim, ClaimTypes.Role);
        identity.AddClaim(new Claim(NameClaim, user));
        foreach (var group in groups) identity.AddClaim(new Claim(GroupClaim, group));
        identity.AddClaims(extra);
        return new ClaimsPrincipal(identity);
    }

    public static Caller From(ServerCallContext context) => Of(context.GetHttpContext().User, context.Peer);

    /// <summary>The caller of a plain HTTP request (the web page's API); the peer is written as gRPC writes it.</summary>
    public static Caller From(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        var peer = address is null ? "unknown"
            : $"{(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "ipv6:[" + address + "]" : "ipv4:" + address)}:{context.Connection.RemotePort}";
        return Of(context.User, peer);
    }

    private static Caller Of(ClaimsPrincipal principal, string peer)
    {
        var identity = principal.Identity;
        if (identity is not { IsAuthenticated: true }) return new Caller(Anonymous, [], peer, Authenticated: false);
        var name = principal.FindFirst(NameClaim)?.Value ?? identity.Name ?? Anonymous;
        return new Caller(name, principal.FindAll(GroupClaim).Select(c => c.Value).ToList(), peer, Authenticated: true);
    }
}
