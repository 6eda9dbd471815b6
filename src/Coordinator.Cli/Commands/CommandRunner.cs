using System.CommandLine;
using Coordinator.Cli.Connection;
using Grpc.Core;

namespace Coordinator.Cli.Commands;

/// <summary>Runs a command body against a connection and turns failures into messages and exit codes.</summary>
internal static class CommandRunner
{
    public static void SetRpcAction(this Command command, CliContext ctx, Func<ParseResult, RolloutConnection, CancellationToken, Task<int>> body) =>
        command.SetAction((parse, ct) => RunAsync(ctx, parse, (conn, token) => body(parse, conn, token), ct));

    public static async Task<int> RunAsync(CliContext ctx, ParseResult parse, Func<RolloutConnection, CancellationToken, Task<int>> body, CancellationToken ct)
    {
        var err = ctx.Env.Error;
        RolloutConnection conn;
        try
        {
            conn = ctx.Options.Open(parse);
        }
        catch (UsageException ex)
        {
            await err.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.Usage;
        }

        using (conn)
        {
            try
            {
                return await body(conn, ct);
            }
            catch (UsageException ex)
            {
                await err.WriteLineAsync($"error: {ex.Message}");
                return ExitCodes.Usage;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && ct.IsCancellationRequested)
            {
                return ExitCodes.Interrupted;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return ExitCodes.Interrupted;
            }
            catch (RpcException ex)
            {
                await err.WriteLineAsync($"error: {Describe(ex, conn.Server)}");
                return ExitCodes.Failed;
            }
            catch (CommandFailedException ex)
            {
                await err.WriteLineAsync($"error: {ex.Message}");
                return ExitCodes.Failed;
            }
        }
    }

    /// <summary>
    /// The status detail as the server wrote it (it names the field). A status that the client made up
    /// itself because no connection could be made (it carries the underlying exception) means the
    /// coordinator is down, which is not the same as the server reporting a cluster as unavailable.
    /// </summary>
    public static string Describe(RpcException ex, string server) => ex.StatusCode switch
    {
        StatusCode.Unavailable when ex.Status.DebugException is not null => $"cannot reach the coordinator at {server}",
        // The server names no reason (HTTP 401): say what to do. The token itself is never repeated.
        StatusCode.Unauthenticated => $"unauthenticated: the coordinator at {server} accepts no call without valid credentials; " +
            $"give a token with --token or ${ConnectionOptions.TokenVariable}, or a client certificate with --client-cert and --client-key",
        StatusCode.PermissionDenied when !ex.Status.Detail.StartsWith("permission denied", StringComparison.Ordinal) =>
            $"permission denied by the coordinator at {server}",
        _ => string.IsNullOrEmpty(ex.Status.Detail) ? ex.StatusCode.ToString() : ex.Status.Detail,
    };
}

/// <summary>A command that ran but failed locally (e.g. an unreadable file): prints <c>error: …</c>, exit 1.</summary>
internal sealed class CommandFailedException(string message) : Exception(message);
