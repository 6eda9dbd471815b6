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

    /// <summary>
    /// Like <see cref="CommandRunner.SetRpcAction"/>, refusing the rollout targeting options: a FleetRollout names its
    /// clusters and namespace itself, and silently ignoring <c>--cluster prod</c> would surprise.
    /// </summary>
    public static void SetFleetAction(this Command command, CliContext ctx, Func<ParseResult, RolloutConnection, CancellationToken, Task<int>> body) =>
        command.SetRpcAction(ctx, (parse, conn, ct) =>
        {
            if (conn.Namespace.Length > 0 || conn.Target.Clusters.Count > 0 || conn.Target.Selector.Count > 0)
                throw new UsageException("fleet commands take no --namespace, --cluster or --selector: the FleetRollout names its rollout's namespace and its clusters (spec.rollout, spec.clusters, spec.waves)");
            return body(parse, conn, ct);
        });

    public static Argument<string> Name() => new("NAME") { Description = "Name of the fleet rollout" };
}
