using System.CommandLine;
using Coordinator.Cli.Connection;
using Coordinator.Cli.Rendering;
using Coordinator.Grpc.V1;
using Grpc.Core;

namespace Coordinator.Cli.Commands;

/// <summary>
/// <c>status NAME [--watch=false] [--timeout 5m]</c>: prints the phase on every change until every target
/// cluster is Healthy (exit 0), one is Degraded (exit 1) or the timeout passes (exit 1).
/// </summary>
internal static class StatusCommand
{
    public const string TimeoutMessage = "Rollout status watch exceeded timeout";

    public static Command Create(CliContext ctx)
    {
        var rollout = Arguments.RolloutName();
        var watch = new Option<bool>("--watch", "-w")
        {
            Description = "Watch until the rollout is Healthy or Degraded (--watch=false prints once)",
            DefaultValueFactory = _ => true,
        };
        var timeout = new Option<TimeSpan?>("--timeout", "-t")
        {
            Description = "Give up watching after this long, e.g. 30s, 5m (default: no timeout)",
            HelpName = "DURATION",
            CustomParser = r =>
            {
                var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
                if (DurationParser.TryParse(text, out var d))
                    return d == TimeSpan.Zero ? null : d;
                r.AddError($"--timeout: invalid duration '{text}' (examples: 300ms, 30s, 5m, 1h)");
                return null;
            },
        };
        var command = new Command("status", "Show a rollout's phase and wait until it is Healthy or Degraded") { rollout, watch, timeout };
        command.SetRpcAction(ctx, (parse, conn, ct) =>
        {
            var request = conn.Request(parse.GetValue(rollout)!);
            return parse.GetValue(watch)
                ? WatchAsync(ctx.Env, conn, request, parse.GetValue(timeout), ct)
                : OnceAsync(ctx.Env, conn, request, ct);
        });
        return command;
    }

    private static async Task<int> OnceAsync(CliEnvironment env, RolloutConnection conn, RolloutRequest request, CancellationToken ct)
    {
        var reply = await conn.Client.GetRolloutAsync(request, cancellationToken: ct);
        var multi = reply.Clusters.Count > 1;
        foreach (var c in reply.Clusters)
            await env.Out.WriteLineAsync(StatusLine.Render(c, multi));
        if (await VerdictAsync(env, reply.Clusters, multi) is { } exit)
            return exit;
        return reply.Clusters.Any(c => !string.IsNullOrEmpty(c.Error) || !c.Exists) ? ExitCodes.Failed : ExitCodes.Ok;
    }

    private static async Task<int> WatchAsync(CliEnvironment env, RolloutConnection conn, RolloutRequest request, TimeSpan? timeout, CancellationToken ct)
    {
        using var deadline = timeout is { } t ? new CancellationTokenSource(t, env.Time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        var token = linked.Token;
        var state = new RolloutState();
        var printed = new Dictionary<string, string>();
        bool? multi = null;
        try
        {
            using var call = conn.Client.WatchRollout(request, cancellationToken: token);
            while (await call.ResponseStream.MoveNext(token))
            {
                var reply = call.ResponseStream.Current;
                if (multi is null)
                {
                    multi = reply.Clusters.Count > 1;
                    var missing = reply.Clusters.Where(c => string.IsNullOrEmpty(c.Error) && !c.Exists).Select(c => c.Cluster).ToList();
                    if (missing.Count > 0)
                    {
                        await env.Error.WriteLineAsync($"error: rollout '{request.Name}' not found in {(missing.Count > 1 ? "clusters" : "cluster")} {string.Join(", ", missing)}");
                        return ExitCodes.Failed;
                    }
                }
                foreach (var c in state.Apply(reply))
                {
                    var line = StatusLine.Render(c, multi.Value);
                    if (printed.GetValueOrDefault(c.Cluster) == line)
                        continue;
                    printed[c.Cluster] = line;
                    await env.Out.WriteLineAsync(line);
                    await env.Out.FlushAsync(token);
                }
                if (await VerdictAsync(env, state.Clusters, multi.Value) is { } exit)
                    return exit;
            }
            await env.Error.WriteLineAsync("error: the status stream ended before the rollout became Healthy");
            return ExitCodes.Failed;
        }
        catch (Exception ex) when (token.IsCancellationRequested && ex is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            if (ct.IsCancellationRequested)
                return ExitCodes.Interrupted;
            await env.Error.WriteLineAsync($"error: {TimeoutMessage}");
            return ExitCodes.Failed;
        }
    }

    /// <summary>Exit 1 with the plugin's message if a cluster is Degraded, 0 if all are Healthy, null to keep watching.</summary>
    private static async Task<int?> VerdictAsync(CliEnvironment env, IReadOnlyList<ClusterRollout> clusters, bool multi)
    {
        var degraded = clusters.FirstOrDefault(c => string.IsNullOrEmpty(c.Error) && c.Exists && c.Phase == StatusIcons.Degraded);
        if (degraded is not null)
        {
            var where = multi ? $"cluster {degraded.Cluster}: " : "";
            await env.Error.WriteLineAsync($"error: {where}The rollout is in a degraded state with message: {degraded.Message}");
            return ExitCodes.Failed;
        }
        if (clusters.Count > 0 && clusters.All(c => string.IsNullOrEmpty(c.Error) && c.Exists && c.Phase == StatusIcons.Healthy))
            return ExitCodes.Ok;
        return null;
    }
}
