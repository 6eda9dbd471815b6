using System.CommandLine;
using Coordinator.Cli.Connection;
using Coordinator.Grpc.V1;

namespace Coordinator.Cli.Commands.Fleet;

/// <summary><c>fleet apply -f FILE</c>: creates or updates a FleetRollout and starts its run.</summary>
internal static class FleetApplyCommand
{
    public static Command Create(CliContext ctx)
    {
        var file = ManifestFile.Option("FleetRollout manifest (YAML or JSON); - reads standard input");
        var command = new Command("apply", "Create or update a fleet rollout from a manifest and start its run") { file };
        command.SetRpcAction(ctx, async (parse, conn, ct) =>
        {
            var manifest = await ManifestFile.ReadAsync(parse.GetValue(file)!, ctx.Env.In, ct);
            var reply = await conn.Fleets.ApplyFleetRolloutAsync(new ApplyFleetRolloutRequest { Manifest = manifest }, cancellationToken: ct);
            await ctx.Env.Out.WriteLineAsync($"fleet rollout '{reply.Name}' applied (run {reply.Run})");
            await ctx.Env.Out.WriteLineAsync(FleetActionCommand.StatusLine(reply));
            return ExitCodes.Ok;
        });
        return command;
    }
}
