using System.CommandLine;
using Coordinator.Cli.Connection;

namespace Coordinator.Cli.Commands;

/// <summary><c>retry rollout NAME</c> (also <c>retry NAME</c>): restarts an aborted rollout from step 0.</summary>
internal static class RetryCommand
{
    public static Command Create(CliContext ctx)
    {
        var command = Retry(ctx, "retry", "Retry an aborted rollout (retry rollout NAME, or retry NAME)");
        var rollout = Retry(ctx, "rollout", "Retry an aborted rollout");
        rollout.Aliases.Add("ro");
        rollout.Aliases.Add("rollouts");
        command.Subcommands.Add(rollout);
        return command;
    }

    private static Command Retry(CliContext ctx, string name, string description) => MutationCommand.Create(ctx, name, description,
        (client, request, ct) => client.RetryRolloutAsync(request, cancellationToken: ct),
        rollout => $"rollout '{rollout}' retried");
}
