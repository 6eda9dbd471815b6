using System.CommandLine;
using Coordinator.Cli.Connection;
using Coordinator.Cli.Rendering.Fleet;
using Coordinator.Grpc.V1;

namespace Coordinator.Cli.Commands.Fleet;

/// <summary><c>fleet apply -f FILE</c> and <c>fleet plan -f FILE</c>: the commands that send a FleetRollout manifest.</summary>
internal static class FleetManifestCommands
{
    /// <summary>Creates or updates a FleetRollout and starts its run.</summary>
    public static Command Apply(CliContext ctx) => Create(ctx, "apply", "Create or update a fleet rollout from a manifest and start its run",
        async (manifest, conn, ct) =>
        {
            var reply = await conn.Fleets.ApplyFleetRolloutAsync(new ApplyFleetRolloutRequest { Manifest = manifest }, cancellationToken: ct);
            return $"fleet rollout '{reply.Name}' applied (run {reply.Run})\n{FleetActionCommand.StatusLine(reply)}\n";
        });

    /// <summary>What a FleetRollout would do, without doing anything.</summary>
    public static Command Plan(CliContext ctx) => Create(ctx, "plan", "Show the waves a fleet rollout would run, their clusters in order and an estimated duration",
        async (manifest, conn, ct) =>
            FleetPlanRenderer.Render(await conn.Fleets.PlanFleetRolloutAsync(new PlanFleetRolloutRequest { Manifest = manifest }, cancellationToken: ct)));

    private static Command Create(CliContext ctx, string verb, string description, Func<string, RolloutConnection, CancellationToken, Task<string>> send)
    {
        var file = ManifestFile.Option("FleetRollout manifest (YAML or JSON); - reads standard input");
        var command = new Command(verb, description) { file };
        command.SetFleetAction(ctx, async (parse, conn, ct) =>
        {
            var manifest = await ManifestFile.ReadAsync(parse.GetValue(file)!, ctx.Env.In, ct);
            await ctx.Env.Out.WriteAsync(await send(manifest, conn, ct));
            return ExitCodes.Ok;
        });
        return command;
    }
}
