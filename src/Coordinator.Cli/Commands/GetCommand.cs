using System.CommandLine;
using Coordinator.Cli.Connection;
using Coordinator.Cli.Rendering;
using Grpc.Core;

namespace Coordinator.Cli.Commands;

/// <summary><c>get rollout NAME [--watch]</c>: the plugin's status block and ReplicaSet tree, per cluster.</summary>
internal static class GetCommand
{
    /// <summary>Moves the cursor home and clears the screen.</summary>
    public const string ClearScreen = "\x1b[H\x1b[2J";

    public static Command Create(CliContext ctx)
    {
        var rollout = Arguments.RolloutName();
        var watch = new Option<bool>("--watch", "-w") { Description = "Redraw on every change until interrupted or the stream ends" };
        var get = new Command("rollout", "Show a rollout's status and ReplicaSets in every target cluster") { rollout, watch };
        get.Aliases.Add("ro");
        get.Aliases.Add("rollouts");
        get.SetRpcAction(ctx, async (parse, conn, ct) =>
        {
            var request = conn.Request(parse.GetValue(rollout)!);
            if (parse.GetValue(watch))
                return await WatchAsync(ctx.Env, conn, request, ct);

            var reply = await conn.Client.GetRolloutAsync(request, cancellationToken: ct);
            await ctx.Env.Out.WriteAsync(RolloutTreeRenderer.Render(reply.Clusters, ctx.Env.Time.GetUtcNow()));
            return reply.Clusters.Any(c => !string.IsNullOrEmpty(c.Error) || !c.Exists) ? ExitCodes.Failed : ExitCodes.Ok;
        });
        return new Command("get", "Show one resource") { get };
    }

    private static async Task<int> WatchAsync(CliEnvironment env, RolloutConnection conn, Grpc.V1.RolloutRequest request, CancellationToken ct)
    {
        var state = new RolloutState();
        using var call = conn.Client.WatchRollout(request, cancellationToken: ct);
        var first = true;
        try
        {
            while (await call.ResponseStream.MoveNext(ct))
            {
                state.Apply(call.ResponseStream.Current);
                var screen = RolloutTreeRenderer.Render(state.Clusters, env.Time.GetUtcNow());
                await env.Out.WriteAsync(env.IsTerminal ? ClearScreen + screen : (first ? "" : "\n") + screen);
                await env.Out.FlushAsync(ct);
                first = false;
            }
        }
        catch (Exception ex) when (ct.IsCancellationRequested && ex is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            // Ctrl-C: a normal way to stop watching.
        }
        return ExitCodes.Ok;
    }
}
