using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Coordinator.Silo.Tests.Security;

/// <summary>An OIDC issuer for tests: its JWKS served by a tiny loopback Kestrel app, tokens signed with an RSA key held here.</summary>
public sealed class TestIssuer : IAsyncDisposable
{
    public const string Name = "https://issuer.coordinator.test";
    private const string KeyId = "test-key";

    private readonly RSA _key = RSA.Create(2048);
    private WebApplication _app = null!;

    public string JwksUri { get; private set; } = "";

    public static async Task<TestIssuer> StartAsync()
    {
        var issuer = new TestIssuer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        issuer._app = builder.Build();
        var jwks = issuer.Jwks();
        issuer._app.MapGet("/keys", () => Results.Text(jwks, "application/json"));
        await issuer._app.StartAsync();
        var address = issuer._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        issuer.JwksUri = $"{address.TrimEnd('/')}/keys";
        return issuer;
    }

    /// <summary>A signed token; <paramref name="validFor"/> negative makes it expired.</summary>
    public string Token(string subject, string[] groups, string audience, TimeSpan validFor, string issuer = Name)
    {
        var now = DateTime.UtcNow;
        var (notBefore, expires) = validFor > TimeSpan.Zero ? (now.AddMinutes(-1), now + validFor) : (now + validFor * 2, now + validFor);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = notBefore,
            NotBefore = notBefore,
            Expires = expires,
            Claims = new Dictionary<string, object> { ["sub"] = subject, ["groups"] = groups },
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_key) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
        });
    }

    private string Jwks()
    {
        var p = _key.ExportParameters(includePrivateParameters: false);
        return JsonSerializer.Serialize(new
        {
            keys = new[]
            {
                new { kty = "RSA", use = "sig", alg = "RS256", kid = KeyId, n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) },
            },
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Dispose();
    }
}
