extern alias cli;

using Microsoft.Extensions.Time.Testing;
using CliEntry = cli::Coordinator.Cli.Cli;
using CliEnvironment = cli::Coordinator.Cli.CliEnvironment;

namespace Coordinator.Cli.Tests.Fakes;

public sealed record CliResult(int ExitCode, string Out, string Error);

/// <summary>Runs the real rolloutctl pipeline in-process with captured output and a fixed clock.</summary>
public static class CliRun
{
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static Task<CliResult> RunAsync(FakeCoordinator server, params string[] args) =>
        RunAsync(server, new FakeTimeProvider(Now), null, CancellationToken.None, args);

    public static async Task<CliResult> RunAsync(FakeCoordinator? server, TimeProvider time, string? stdin, CancellationToken ct, params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        string[] all = server is null ? args : [.. args, "--server", server.Url];
        var env = new CliEnvironment(stdout, stderr, new StringReader(stdin ?? ""), time, IsTerminal: false);
        var exit = await CliEntry.RunAsync(all, env, ct);
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The public entry point with the given args (no server added).</summary>
    public static async Task<CliResult> RunPlainAsync(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = await CliEntry.RunAsync(args, stdout, stderr, new FakeTimeProvider(Now));
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }
}
