using System.CommandLine;
using Coordinator.Cli.Connection;
using Coordinator.Cli.Rendering;
using Coordinator.Grpc.V1;

namespace Coordinator.Cli.Commands;

/// <summary><c>list rollouts [-A]</c>: one row per rollout and cluster.</summary>
internal static class ListCommand
{
    public static Command Create(CliContext ctx)
    {
        var all = new Option<bool>("--all-namespaces", "-A") { Description = "List the rollouts of every namespace" };
        var rollouts = new Command("rollouts", "List rollouts in the target clusters") { all };
        rollouts.Aliases.Add("rollout");
        rollouts.Aliases.Add("ro");
        rollouts.SetRpcAction(ctx, async (parse, conn, ct) =>
        {
            var allNamespaces = parse.GetValue(all);
            if (allNamespaces && conn.Namespace.Length > 0)
                throw new UsageException("--all-namespaces and --namespace cannot be used together");
            // ListRollouts treats an empty namespace as "every namespace", so the kubectl default is sent explicitly.
            var ns = allNamespaces ? "" : conn.Namespace.Length > 0 ? conn.Namespace : "default";
            var reply = await conn.Client.ListRolloutsAsync(new ListRolloutsRequest { Namespace = ns, Target = conn.Target }, cancellationToken: ct);
            if (reply.Rollouts.Count == 0)
            {
                await ctx.Env.Error.WriteLineAsync(allNamespaces ? "No resources found" : $"No resources found in {ns} namespace.");
                return ExitCodes.Ok;
            }
            await ctx.Env.Out.WriteAsync(RolloutListRenderer.Render(reply.Rollouts, withNamespace: allNamespaces));
            return ExitCodes.Ok;
        });
        return new Command("list", "List resources") { rollouts };
    }
}
