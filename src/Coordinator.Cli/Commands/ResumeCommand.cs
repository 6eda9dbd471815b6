using System.CommandLine;
using Coordinator.Cli.Connection;

namespace Coordinator.Cli.Commands;

/// <summary><c>resume NAME</c>: clears spec.paused (the plugin has no resume; promote also resumes).</summary>
internal static class ResumeCommand
{
    public static Command Create(CliContext ctx) => MutationCommand.Create(ctx, "resume", "Resume a paused rollout",
        (client, request, ct) => client.ResumeRolloutAsync(request, cancellationToken: ct),
        name => $"rollout '{name}' resumed");
}
