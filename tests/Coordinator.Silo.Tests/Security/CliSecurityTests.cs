extern alias cli;
using CliEntry = cli::Coordinator.Cli.Cli;
using CliEnvironment = cli::Coordinator.Cli.CliEnvironment;

namespace Coordinator.Silo.Tests.Security;

/// <summary>rolloutctl against the secured silo: https with --ca-file, --token, ROLLOUTCTL_TOKEN, client certificates, login.</summary>
public sealed class CliSecurityTests(SecureSiloFixture silo) : IClassFixture<SecureSiloFixture>
{
    private async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string>? variables, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        // Only the variables given: the process environment (and any saved login) must not leak into the test.
        var env = new CliEnvironment(stdout, stderr, new StringReader(""), TimeProvider.System, IsTerminal: false,
            Variables: name => variables?.GetValueOrDefault(name) ?? (name == "ROLLOUTCTL_CONFIG" ? Path.Combine(silo.Certificates.Directory, "no-config.json") : null));
        var code = await CliEntry.RunAsync(args, env, CancellationToken.None);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    private string[] Get(params string[] extra) =>
        ["get", "rollout", "rollouts-demo", "-n", "test", "--cluster", "prod", "--server", silo.GrpcUrl.ToString(), "--ca-file", silo.Certificates.CaFile, .. extra];

    [Fact]
    public async Task A_token_given_with_the_flag_or_the_environment_works()
    {
        var withFlag = await RunAsync(null, Get("--token", SecureSiloFixture.ViewerToken));
        Assert.True(withFlag.ExitCode == 0, withFlag.ToString());
        Assert.Contains("rollouts-demo", withFlag.Stdout);

        var fromEnv = await RunAsync(new Dictionary<string, string> { ["ROLLOUTCTL_TOKEN"] = SecureSiloFixture.ViewerToken }, Get());
        Assert.True(fromEnv.ExitCode == 0, fromEnv.ToString());
        Assert.Equal(withFlag.Stdout.Split('\n')[0], fromEnv.Stdout.Split('\n')[0]);
    }

    [Fact]
    public async Task Without_a_token_or_with_a_bad_one_it_prints_an_unauthenticated_error_that_never_shows_the_token()
    {
        var none = await RunAsync(null, Get());
        Assert.Equal(1, none.ExitCode);
        Assert.StartsWith($"error: unauthenticated: the coordinator at {silo.GrpcUrl} accepts no call without valid credentials", none.Stderr);
        Assert.Contains("--token or $ROLLOUTCTL_TOKEN", none.Stderr);

        var bad = await RunAsync(null, Get("--token", "wrong-secret-0042"));
        Assert.Equal(1, bad.ExitCode);
        Assert.StartsWith("error: unauthenticated", bad.Stderr);
        Assert.DoesNotContain("wrong-secret-0042", bad.Stderr + bad.Stdout);
    }

    [Fact]
    public async Task A_denied_command_prints_the_permission_denied_message()
    {
        var result = await RunAsync(null, ["promote", "rollouts-demo", "-n", "test", "--cluster", "prod",
            "--server", silo.GrpcUrl.ToString(), "--ca-file", silo.Certificates.CaFile, "--token", SecureSiloFixture.ViewerToken]);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: permission denied: user \"viewer\" may not promote rollouts \"prod/test/rollouts-demo\"", result.Stderr.Trim());
    }

    [Fact]
    public async Task A_client_certificate_logs_in_as_its_common_name()
    {
        var (cert, key) = silo.Certificates.Client("carol");
        var result = await RunAsync(null, Get("--client-cert", cert, "--client-key", key));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("rollouts-demo", result.Stdout);
    }

    [Fact]
    public async Task Login_saves_server_and_token_for_later_commands_and_logout_forgets_them()
    {
        var config = Path.Combine(silo.Certificates.Directory, $"config-{Guid.NewGuid():N}.json");
        var variables = new Dictionary<string, string> { ["ROLLOUTCTL_CONFIG"] = config };
        var login = await RunAsync(variables, ["login", "--server", silo.GrpcUrl.ToString(), "--ca-file", silo.Certificates.CaFile, "--token", SecureSiloFixture.ViewerToken]);
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains($"Logged in to {silo.GrpcUrl}", login.Stdout);
        Assert.DoesNotContain(SecureSiloFixture.ViewerToken, login.Stdout);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(config));

        var later = await RunAsync(variables, ["get", "rollout", "rollouts-demo", "-n", "test", "--cluster", "prod"]);
        Assert.True(later.ExitCode == 0, later.ToString());

        var refused = await RunAsync(variables, ["login", "--server", silo.GrpcUrl.ToString(), "--ca-file", silo.Certificates.CaFile, "--token", "nope"]);
        Assert.Equal(1, refused.ExitCode);

        Assert.Equal(0, (await RunAsync(variables, ["logout"])).ExitCode);
        Assert.False(File.Exists(config));
    }
}
