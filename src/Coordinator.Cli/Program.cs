using System.CommandLine;
using Coordinator.Cli.Commands;
using Coordinator.Cli.Commands.Fleet;
using Coordinator.Cli.Connection;

namespace Coordinator.Cli;

/// <summary>The <c>rolloutctl</c> entry point: builds the root command and runs it against the given streams and clock.</summary>
public static class Cli
{
    public static async Task<int> Main(string[] args)
    {
        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cts.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            var env = new CliEnvironment(Console.Out, Console.Error, Console.In, TimeProvider.System, IsTerminal: !Console.IsOutputRedirected);
            return await RunAsync(args, env, cts.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Runs one command line in-process; stdout is treated as a non-terminal (no screen clearing).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TimeProvider time) =>
        RunAsync(args, new CliEnvironment(stdout, stderr, Console.In, time, IsTerminal: false), CancellationToken.None);

    public static async Task<int> RunAsync(string[] args, CliEnvironment env, CancellationToken cancellationToken)
    {
        var root = BuildRoot(env);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && !args.Any(a => a is "-h" or "--help" or "-?"))
        {
            foreach (var error in parse.Errors)
                await env.Error.WriteLineAsync($"error: {error.Message}");
            await env.Error.WriteLineAsync("Run 'rolloutctl --help' for usage.");
            return ExitCodes.Usage;
        }
        var config = new InvocationConfiguration { Output = env.Out, Error = env.Error, ProcessTerminationTimeout = null };
        return await parse.InvokeAsync(config, cancellationToken);
    }

    public static RootCommand BuildRoot(CliEnvironment env)
    {
        var ctx = new CliContext(env, new ConnectionOptions(env));
        var root = new RootCommand("rolloutctl: manage Argo-compatible canary Rollouts in many clusters, and fleet rollouts through them in waves, through Coordinator.");
        foreach (var option in ctx.Options.All)
            root.Options.Add(option);
        root.Subcommands.Add(ApplyCommand.Create(ctx));
        root.Subcommands.Add(GetCommand.Create(ctx));
        root.Subcommands.Add(ListCommand.Create(ctx));
        root.Subcommands.Add(StatusCommand.Create(ctx));
        root.Subcommands.Add(PromoteCommand.Create(ctx));
        root.Subcommands.Add(AbortCommand.Create(ctx));
        root.Subcommands.Add(RetryCommand.Create(ctx));
        root.Subcommands.Add(PauseCommand.Create(ctx));
        root.Subcommands.Add(ResumeCommand.Create(ctx));
        root.Subcommands.Add(SetImageCommand.Create(ctx));
        root.Subcommands.Add(UndoCommand.Create(ctx));
        root.Subcommands.Add(DeleteCommand.Create(ctx));
        root.Subcommands.Add(ClustersCommand.Create(ctx));
        root.Subcommands.Add(FleetCommand.Create(ctx));
        root.Subcommands.Add(LoginCommand.Create(ctx));
        root.Subcommands.Add(LoginCommand.CreateLogout(ctx));
        return root;
    }
}

/// <summary>Where a command writes, reads and takes the time from.</summary>
/// <param name="IsTerminal">True when stdout is an interactive terminal (watch redraws the screen).</param>
/// <param name="Variables">Reads an environment variable; null reads the process environment (tests pass their own).</param>
public sealed record CliEnvironment(TextWriter Out, TextWriter Error, TextReader In, TimeProvider Time, bool IsTerminal,
    Func<string, string?>? Variables = null)
{
    public string? Variable(string name) => (Variables ?? Environment.GetEnvironmentVariable)(name);
}

public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int Interrupted = 130;
}
