using System.CommandLine;
using Coordinator.Cli.Connection;
using Coordinator.Cli.Rendering.Fleet;
using Coordinator.Grpc.V1;

namespace Coordinator.Cli.Commands.Fleet;

/// <summary><c>fleet plan -f FILE</c>: what a FleetRollout would do, without doing anything.</summary>
internal static class FleetPlanCommand
{
    public static Command Create(CliContext ctx)
    {
        var file = ManifestFile.Option("FleetRollout manifest (YAML or JSON); - reads standard input");
        var command = new Command("plan", "Show the waves a fleet rollout would run, their clusters in order and an estimated duration") { file };
        command.SetRpcAction(ctx, async (parse, conn, ct) =>
        {
            var manifest = await ManifestFile.ReadAsync(parse.GetValue(file)!, ctx.Env.In, ct);
            var plan = await conn.Fleets.PlanFleetRolloutAsync(new PlanFleetRolloutRequest { Manifest = manifest }, cancellationToken: ct);
            await ctx.Env.Out.WriteAsync(FleetPlanRenderer.Render(plan));
            return ExitCodes.Ok;
        });
        return command;
    }
}
