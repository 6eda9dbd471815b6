using System.CommandLine;
using Coordinator.Cli.Connection;

namespace Coordinator.Cli.Commands;

/// <summary><c>pause NAME</c>: sets spec.paused.</summary>
internal static class PauseCommand
{
    public static Command Create(CliContext ctx) => MutationCommand.Create(ctx, "pause", "Pause a rollout",
        (client, request, ct) => client.PauseRolloutAsync(request, cancellationToken: ct),
        name => $"rollout '{name}' paused");
}
