using System.CommandLine;
using Coordinator.Cli.Connection;
using Coordinator.Cli.Rendering;
using Coordinator.Grpc.V1;

namespace Coordinator.Cli.Commands;

/// <summary><c>promote NAME [--full]</c>: leaves the current pause (or step), or skips every step with --full.</summary>
internal static class PromoteCommand
{
    public static Command Create(CliContext ctx)
    {
        var rollout = Arguments.RolloutName();
        var full = new Option<bool>("--full") { Description = "Skip the remaining steps and analysis and promote at once" };
        var command = new Command("promote", "Promote a rollout") { rollout, full };
        command.SetRpcAction(ctx, async (parse, conn, ct) =>
        {
            var name = parse.GetValue(rollout)!;
            var isFull = parse.GetValue(full);
            var reply = await conn.Client.PromoteRolloutAsync(
                new PromoteRolloutRequest { Name = name, Namespace = conn.Namespace, Target = conn.Target, Full = isFull }, cancellationToken: ct);
            return await Output.WriteAsync(ctx.Env,
                ReplySummary.Render(reply.Clusters, isFull ? $"rollout '{name}' fully promoted" : $"rollout '{name}' promoted"));
        });
        return command;
    }
}
