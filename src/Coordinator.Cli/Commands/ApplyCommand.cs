using System.CommandLine;
using Coordinator.Cli.Connection;
using Coordinator.Cli.Rendering;
using Coordinator.Grpc.V1;

namespace Coordinator.Cli.Commands;

/// <summary><c>apply -f FILE</c>: creates or updates a Rollout from its manifest in the target clusters.</summary>
internal static class ApplyCommand
{
    public static Command Create(CliContext ctx)
    {
        var file = ManifestFile.Option("Argo Rollout manifest (YAML or JSON); - reads standard input");
        var command = new Command("apply", "Create or update a rollout from a manifest in the target clusters") { file };
        command.SetRpcAction(ctx, async (parse, conn, ct) =>
        {
            var manifest = await ManifestFile.ReadAsync(parse.GetValue(file)!, ctx.Env.In, ct);
            var reply = await conn.Client.ApplyRolloutAsync(
                new ApplyRolloutRequest { Manifest = manifest, Namespace = conn.Namespace, Target = conn.Target }, cancellationToken: ct);
            return await Output.WriteAsync(ctx.Env,
                ReplySummary.Render(reply.Clusters, names => $"rollout '{reply.Name}' applied" + (names.Length > 0 ? $" in {names}" : "")));
        });
        return command;
    }
}
