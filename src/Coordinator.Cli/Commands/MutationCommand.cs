using System.CommandLine;
using Coordinator.Cli.Connection;
using Coordinator.Cli.Rendering;
using Coordinator.Grpc.V1;
using Grpc.Core;

namespace Coordinator.Cli.Commands;

/// <summary>The shape of the simple commands that take a rollout name, call one RPC and report per cluster.</summary>
internal static class MutationCommand
{
    public static Command Create(CliContext ctx, string name, string description,
        Func<Rollouts.RolloutsClient, RolloutRequest, CancellationToken, AsyncUnaryCall<RolloutReply>> call,
        Func<string, string> message)
    {
        var rollout = Arguments.RolloutName();
        var command = new Command(name, description) { rollout };
        command.SetRpcAction(ctx, async (parse, conn, ct) =>
        {
            var rolloutName = parse.GetValue(rollout)!;
            var reply = await call(conn.Client, conn.Request(rolloutName), ct);
            return await Output.WriteAsync(ctx.Env, ReplySummary.Render(reply.Clusters, message(rolloutName)));
        });
        return command;
    }
}
