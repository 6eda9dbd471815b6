using Coordinator.Grpc.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Coordinator.Silo.Security;

/// <summary>OIDC bearer tokens (JWT): issuer, audience and signature checked; user and groups from configurable claims.</summary>
internal static class OidcSetup
{
    public const string Scheme = "Oidc";

    public static void Add(AuthenticationBuilder auth, OidcOptions oidc)
    {
        var issuer = oidc.Issuer!;
        auth.AddJwtBearer(Scheme, o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = issuer,
                ValidAudience = oidc.Audience,
                NameClaimType = oidc.UsernameClaim,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
            var requireHttps = !IsLoopbackHttp(oidc.JwksUri ?? issuer);
            if (oidc.JwksUri is { Length: > 0 } jwks)
                o.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                    jwks, new JwksRetriever(issuer), new HttpDocumentRetriever { RequireHttps = requireHttps });
            else
            {
                o.Authority = issuer;
                o.RequireHttpsMetadata = requireHttps;
            }
            o.Events = new JwtBearerEvents { OnTokenValidated = ctx => MapClaims(ctx, oidc) };
        });
    }

    /// <summary>Puts the user and groups under the claim types the gRPC layer reads; refuses a token without a user.</summary>
    private static Task MapClaims(TokenValidatedContext ctx, OidcOptions oidc)
    {
        var principal = ctx.Principal!;
        if (principal.FindFirst(oidc.UsernameClaim)?.Value is not { Length: > 0 } user)
        {
            ctx.Fail($"the token has no '{oidc.UsernameClaim}' claim");
            return Task.CompletedTask;
        }
        ctx.Principal = Caller.Principal(Scheme, user, principal.FindAll(oidc.GroupsClaim).Select(c => c.Value).Where(g => g.Length > 0));
        return Task.CompletedTask;
    }

    /// <summary>Plain http is only accepted for an issuer on loopback (a local test issuer).</summary>
    private static bool IsLoopbackHttp(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback;

    /// <summary>Reads a bare JWKS document (kube-apiserver's <c>--oidc-issuer-url</c> with a separate keys URL; no discovery).</summary>
    private sealed class JwksRetriever(string issuer) : IConfigurationRetriever<OpenIdConnectConfiguration>
    {
        public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
        {
            var keys = new JsonWebKeySet(await retriever.GetDocumentAsync(address, cancel));
            var configuration = new OpenIdConnectConfiguration { Issuer = issuer, JwksUri = address, JsonWebKeySet = keys };
            foreach (var key in keys.GetSigningKeys()) configuration.SigningKeys.Add(key);
            return configuration;
        }
    }
}
