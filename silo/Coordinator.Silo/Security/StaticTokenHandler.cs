using System.Security.Claims;
using System.Text.Encodings.Web;
using Coordinator.Grpc.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Coordinator.Silo.Security;

public sealed class StaticTokenOptions : AuthenticationSchemeOptions
{
    public StaticTokenFile Tokens { get; set; } = null!;
}

/// <summary>Bearer tokens from the static token file. The token itself never reaches a log or an error.</summary>
public sealed class StaticTokenHandler(IOptionsMonitor<StaticTokenOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<StaticTokenOptions>(options, logger, encoder)
{
    public const string SchemeName = "StaticToken";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerToken.From(Request) is not { } token) return Task.FromResult(AuthenticateResult.NoResult());
        if (Options.Tokens.Authenticate(token) is not { } user) return Task.FromResult(AuthenticateResult.Fail("invalid bearer token"));
        var principal = Caller.Principal(SchemeName, user.Name, user.Groups, new Claim(ClaimTypes.NameIdentifier, user.Uid));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    /// <summary>
    /// Every request without valid credentials ends here. gRPC callers get a trailers-only Unauthenticated status with
    /// a message (instead of a bare HTTP 401 that clients report as "Bad gRPC response"); others get 401 with a Bearer challenge.
    /// </summary>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
        {
            Response.StatusCode = StatusCodes.Status200OK;
            Response.ContentType = "application/grpc";
            Response.Headers["grpc-status"] = ((int)global::Grpc.Core.StatusCode.Unauthenticated).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Response.Headers["grpc-message"] = UnauthenticatedMessage;
            return Task.CompletedTask;
        }
        Response.Headers.WWWAuthenticate = "Bearer";
        return base.HandleChallengeAsync(properties);
    }

    public const string UnauthenticatedMessage = "unauthenticated: no valid credentials (a bearer token or a client certificate)";
}

internal static class BearerToken
{
    /// <summary>The token of an <c>Authorization: Bearer …</c> header (scheme case-insensitive), or null.</summary>
    public static string? From(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString().Trim();
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return null;
        var token = header[prefix.Length..].Trim();
        return token.Length == 0 ? null : token;
    }

    /// <summary>A JWT has three base64url parts separated by dots; static tokens do not (kube's guidance: random hex).</summary>
    public static bool LooksLikeJwt(string token) => token.Count(c => c == '.') == 2;
}
