using Coordinator.Silo.Hosting;
using Coordinator.Silo.Security;

namespace Coordinator.Silo.Tests.Security;

/// <summary>Safe defaults: a silo that would serve beyond loopback without authentication does not start.</summary>
public sealed class StartupRefusalTests
{
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    public async Task Binding_beyond_loopback_without_authentication_refuses_to_start_and_names_the_flags(string bind)
    {
        var error = await Assert.ThrowsAsync<StartupRefusedException>(() => CoordinatorApp.BuildAsync(
            ["--Coordinator:BindAddress", bind, "--http-port", "0", "--grpc-port", "0"]));
        Assert.Contains($"refusing to serve the API on {bind} without authentication", error.Message);
        foreach (var flag in new[] { "--token-auth-file", "--Coordinator:Auth:Oidc:Issuer", "--Coordinator:Tls:ClientCaFile", "--authz-policy" })
            Assert.Contains(flag, error.Message);
    }

    [Fact]
    public async Task A_policy_file_with_an_unknown_action_refuses_to_start_naming_the_line()
    {
        var dir = Directory.CreateTempSubdirectory("coordinator-auth-").FullName;
        try
        {
            var (tokens, policy) = (Path.Combine(dir, "tokens.csv"), Path.Combine(dir, "policy.csv"));
            await File.WriteAllTextAsync(tokens, "t0k3n,alice,1\n");
            await File.WriteAllTextAsync(policy, "g, alice, role:admin\np, alice, rollouts, deploy, *, allow\n");
            var error = await Assert.ThrowsAsync<StartupRefusedException>(() => CoordinatorApp.BuildAsync(
                ["--token-auth-file", tokens, "--authz-policy", policy, "--http-port", "0", "--grpc-port", "0"]));
            Assert.Contains($"{policy}:2: unknown action 'deploy'", error.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Client_certificates_without_tls_refuse_to_start()
    {
        var error = await Assert.ThrowsAsync<StartupRefusedException>(() => CoordinatorApp.BuildAsync(
            ["--Coordinator:Tls:ClientCaFile", "/nonexistent/ca.pem", "--http-port", "0", "--grpc-port", "0"]));
        Assert.Contains("Coordinator:Tls:CertFile", error.Message);
    }
}
