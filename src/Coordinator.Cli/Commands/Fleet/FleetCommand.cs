using System.CommandLine;
using Coordinator.Cli.Connection;

namespace Coordinator.Cli.Commands.Fleet;

/// <summary><c>fleet ...</c>: FleetRollouts, one change carried through the fleet's clusters in waves.</summary>
internal static class FleetCommand
{
    public static Command Create(CliContext ctx) => new("fleet", "Manage fleet rollouts: one change through the fleet's clusters, wave by wave")
    {
        FleetManifestCommands.Apply(ctx),
        FleetManifestCommands.Plan(ctx),
        FleetGetCommand.Create(ctx),
        FleetListCommand.Create(ctx),
        FleetActionCommand.Approve(ctx),
        FleetActionCommand.Halt(ctx),
        FleetActionCommand.Resume(ctx),
        FleetActionCommand.Abort(ctx),
        FleetActionCommand.Revert(ctx),
        FleetActionCommand.Delete(ctx),
    };

    public static Argument<string> Name() => new("NAME") { Description = "Name of the fleet rollout" };
}
