using System.CommandLine;
using Coordinator.Cli.Connection;

namespace Coordinator.Cli.Commands;

/// <summary><c>delete NAME</c>: deletes the rollout in the target clusters.</summary>
internal static class DeleteCommand
{
    public static Command Create(CliContext ctx) => MutationCommand.Create(ctx, "delete", "Delete a rollout",
        (client, request, ct) => client.DeleteRolloutAsync(request, cancellationToken: ct),
        name => $"rollout \"{name}\" deleted");
}
