using System.CommandLine;
using Coordinator.Cli.Connection;

namespace Coordinator.Cli.Commands;

/// <summary><c>abort NAME</c>: goes back to the stable version; the rollout becomes Degraded until retried or undone.</summary>
internal static class AbortCommand
{
    public static Command Create(CliContext ctx) => MutationCommand.Create(ctx, "abort", "Abort a rollout",
        (client, request, ct) => client.AbortRolloutAsync(request, cancellationToken: ct),
        name => $"rollout '{name}' aborted");
}
