using System.CommandLine;
using Coordinator.Cli.Connection;
using Coordinator.Cli.Rendering.Fleet;
using Coordinator.Grpc.V1;

namespace Coordinator.Cli.Commands.Fleet;

/// <summary><c>fleet list</c>: every FleetRollout with its phase, run, current wave and healthy clusters.</summary>
internal static class FleetListCommand
{
    public static Command Create(CliContext ctx)
    {
        var command = new Command("list", "List fleet rollouts");
        command.SetFleetAction(ctx, async (parse, conn, ct) =>
        {
            var reply = await conn.Fleets.ListFleetRolloutsAsync(new ListFleetRolloutsRequest(), cancellationToken: ct);
            if (reply.FleetRollouts.Count == 0)
            {
                await ctx.Env.Error.WriteLineAsync("No fleet rollouts found.");
                return ExitCodes.Ok;
            }
            await ctx.Env.Out.WriteAsync(FleetListRenderer.Render(reply.FleetRollouts, ctx.Env.Time.GetUtcNow()));
            return ExitCodes.Ok;
        });
        return command;
    }
}
