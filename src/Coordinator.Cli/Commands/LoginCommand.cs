using System.CommandLine;
using Coordinator.Cli.Connection;
using Coordinator.Grpc.V1;

namespace Coordinator.Cli.Commands;

/// <summary>
/// <c>login</c>: checks the credentials against the coordinator (one authenticated call) and saves the server and
/// credentials for later commands; <c>logout</c> forgets them.
/// </summary>
internal static class LoginCommand
{
    public static Command Create(CliContext ctx)
    {
        var command = new Command("login", "Check and save the server and credentials (--server, --token or $ROLLOUTCTL_TOKEN, --ca-file, --client-cert/--client-key)");
        command.SetRpcAction(ctx, async (parse, conn, ct) =>
        {
            var clusters = await conn.Client.ListClustersAsync(new ListClustersRequest(), cancellationToken: ct);
            var credentials = conn.Credentials;
            var path = CliConfigFile.Write(ctx.Env, new CliConfig(conn.Server, credentials.Token, credentials.CaFile, credentials.ClientCertFile, credentials.ClientKeyFile));
            await ctx.Env.Out.WriteLineAsync($"Logged in to {conn.Server} ({clusters.Clusters.Count} clusters visible); saved to {path}");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command CreateLogout(CliContext ctx)
    {
        var command = new Command("logout", "Forget the server and credentials saved by login");
        command.SetAction(async (_, _) =>
        {
            var path = CliConfigFile.PathFor(ctx.Env);
            await ctx.Env.Out.WriteLineAsync(CliConfigFile.Delete(ctx.Env) ? $"Removed {path}" : $"Not logged in ({path} does not exist)");
            return ExitCodes.Ok;
        });
        return command;
    }
}
