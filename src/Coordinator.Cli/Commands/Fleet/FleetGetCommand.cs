using System.CommandLine;
using Coordinator.Cli.Connection;
using Coordinator.Cli.Rendering.Fleet;
using Coordinator.Grpc.V1;
using Grpc.Core;

namespace Coordinator.Cli.Commands.Fleet;

/// <summary>
/// <c>fleet get NAME [--watch] [-o json]</c>: the run's status, waves and clusters; with --watch redrawn on every change
/// until the run ends (Completed, Failed, Aborted, Reverted) or Ctrl-C.
/// </summary>
internal static class FleetGetCommand
{
    public const string Json = "json";

    public static Command Create(CliContext ctx)
    {
        var name = FleetCommand.Name();
        var watch = new Option<bool>("--watch", "-w") { Description = "Redraw on every change until the run ends or Ctrl-C" };
        var output = new Option<string?>("--output", "-o") { Description = "Output format: json (the status with every wave and cluster field)", HelpName = "FORMAT" };
        output.AcceptOnlyFromAmong(Json);
        var command = new Command("get", "Show a fleet rollout: phase, why it waits, every wave and cluster") { name, watch, output };
        command.SetFleetAction(ctx, async (parse, conn, ct) =>
        {
            var request = new FleetRolloutRequest { Name = parse.GetValue(name)! };
            var render = Renderer(ctx.Env, parse.GetValue(output) == Json);
            if (parse.GetValue(watch))
                return await WatchAsync(ctx.Env, conn, request, render, ct);
            var reply = await conn.Fleets.GetFleetRolloutAsync(request, cancellationToken: ct);
            await ctx.Env.Out.WriteAsync(render(reply));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Func<FleetRolloutReply, string> Renderer(CliEnvironment env, bool json) =>
        json ? FleetJson.Render : reply => FleetStatusRenderer.Render(reply, env.Time.GetUtcNow());

    private static async Task<int> WatchAsync(CliEnvironment env, RolloutConnection conn, FleetRolloutRequest request,
        Func<FleetRolloutReply, string> render, CancellationToken ct)
    {
        using var call = conn.Fleets.WatchFleetRollout(request, cancellationToken: ct);
        var first = true;
        try
        {
            while (await call.ResponseStream.MoveNext(ct))
            {
                var reply = call.ResponseStream.Current;
                var screen = render(reply);
                await env.Out.WriteAsync(env.IsTerminal ? GetCommand.ClearScreen + screen : (first ? "" : "\n") + screen);
                await env.Out.FlushAsync(ct);
                first = false;
                if (FleetIcons.IsFinal(reply.Phase))
                    return reply.Phase == FleetIcons.Completed ? ExitCodes.Ok : ExitCodes.Failed;
            }
        }
        catch (Exception ex) when (ct.IsCancellationRequested && ex is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            // Ctrl-C: a normal way to stop watching.
        }
        return ExitCodes.Ok;
    }
}
