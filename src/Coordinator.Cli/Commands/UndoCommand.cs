using System.CommandLine;
using Coordinator.Cli.Connection;
using Coordinator.Cli.Rendering;
using Coordinator.Grpc.V1;

namespace Coordinator.Cli.Commands;

/// <summary><c>undo NAME [--to-revision N]</c>: rolls the pod template back to the previous (or given) revision.</summary>
internal static class UndoCommand
{
    public static Command Create(CliContext ctx)
    {
        var rollout = Arguments.RolloutName();
        var revision = new Option<int>("--to-revision")
        {
            Description = "Revision to go back to (default: the previous one)",
            HelpName = "N",
            Validators = { r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--to-revision must not be negative"); } },
        };
        var command = new Command("undo", "Roll a rollout back to a previous revision") { rollout, revision };
        command.SetRpcAction(ctx, async (parse, conn, ct) =>
        {
            var name = parse.GetValue(rollout)!;
            var reply = await conn.Client.UndoRolloutAsync(
                new UndoRolloutRequest { Name = name, Namespace = conn.Namespace, Target = conn.Target, ToRevision = parse.GetValue(revision) },
                cancellationToken: ct);
            return await Output.WriteAsync(ctx.Env, ReplySummary.Render(reply.Clusters, $"rollout '{name}' undo"));
        });
        return command;
    }
}
