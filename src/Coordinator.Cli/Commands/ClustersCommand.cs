using System.CommandLine;
using Coordinator.Cli.Connection;
using Coordinator.Cli.Rendering;
using Coordinator.Grpc.V1;

namespace Coordinator.Cli.Commands;

/// <summary><c>clusters</c>: the clusters the coordinator knows, probed for reachability.</summary>
internal static class ClustersCommand
{
    public static Command Create(CliContext ctx)
    {
        var command = new Command("clusters", "List the clusters known to the coordinator");
        command.SetRpcAction(ctx, async (parse, conn, ct) =>
        {
            var request = new ListClustersRequest();
            request.Selector.Add(conn.Target.Selector);
            var reply = await conn.Client.ListClustersAsync(request, cancellationToken: ct);
            var clusters = reply.Clusters
                .Where(c => conn.Target.Clusters.Count == 0 || conn.Target.Clusters.Contains(c.Name))
                .ToList();
            await ctx.Env.Out.WriteAsync(ClusterListRenderer.Render(clusters));
            return ExitCodes.Ok;
        });
        return command;
    }
}
