using System.CommandLine;
using Coordinator.Cli.Connection;
using Coordinator.Cli.Rendering.Fleet;
using Coordinator.Grpc.V1;
using Grpc.Core;

namespace Coordinator.Cli.Commands.Fleet;

/// <summary>The fleet commands that take a name, call one RPC and print what was done and where the run stands.</summary>
internal static class FleetActionCommand
{
    public static Command Approve(CliContext ctx)
    {
        var wave = new Option<string?>("--wave") { Description = "Approve this wave ahead of time (default: the wave waiting for approval)", HelpName = "WAVE" };
        return Create(ctx, "approve", "Approve the wave waiting for approval (or --wave W ahead of time)", [wave],
            (parse, fleets, name, ct) => fleets.ApproveFleetRolloutAsync(new ApproveFleetRolloutRequest { Name = name, Wave = parse.GetValue(wave) ?? "" }, cancellationToken: ct),
            (parse, name) => parse.GetValue(wave) is { Length: > 0 } w ? $"fleet rollout '{name}' wave '{w}' approved" : $"fleet rollout '{name}' approved");
    }

    public static Command Halt(CliContext ctx) => Create(ctx, "halt", "Halt a fleet rollout: no new cluster starts, clusters in progress are aborted", [],
        (_, fleets, name, ct) => fleets.HaltFleetRolloutAsync(new FleetRolloutRequest { Name = name }, cancellationToken: ct),
        (_, name) => $"fleet rollout '{name}' halted");

    public static Command Resume(CliContext ctx) => Create(ctx, "resume", "Resume a halted fleet rollout", [],
        (_, fleets, name, ct) => fleets.ResumeFleetRolloutAsync(new FleetRolloutRequest { Name = name }, cancellationToken: ct),
        (_, name) => $"fleet rollout '{name}' resumed");

    public static Command Abort(CliContext ctx)
    {
        var revert = new Option<bool>("--revert") { Description = "Also send every cluster already updated back to its previous template" };
        return Create(ctx, "abort", "Abort a fleet rollout's run (--revert: and revert the clusters already updated)", [revert],
            (parse, fleets, name, ct) => fleets.AbortFleetRolloutAsync(new AbortFleetRolloutRequest { Name = name, Revert = parse.GetValue(revert) }, cancellationToken: ct),
            (parse, name) => parse.GetValue(revert) ? $"fleet rollout '{name}' aborted, reverting" : $"fleet rollout '{name}' aborted");
    }

    public static Command Revert(CliContext ctx) => Create(ctx, "revert", "Revert every cluster already updated, last wave first", [],
        (_, fleets, name, ct) => fleets.RevertFleetRolloutAsync(new FleetRolloutRequest { Name = name }, cancellationToken: ct),
        (_, name) => $"fleet rollout '{name}' reverting");

    public static Command Delete(CliContext ctx) => Create(ctx, "delete", "Delete a fleet rollout (clusters keep what they run)", [],
        (_, fleets, name, ct) => fleets.DeleteFleetRolloutAsync(new FleetRolloutRequest { Name = name }, cancellationToken: ct),
        (_, name) => $"fleet rollout '{name}' deleted");

    private static Command Create(CliContext ctx, string verb, string description, IEnumerable<Option> options,
        Func<ParseResult, FleetRollouts.FleetRolloutsClient, string, CancellationToken, AsyncUnaryCall<FleetRolloutReply>> call,
        Func<ParseResult, string, string> done)
    {
        var name = FleetCommand.Name();
        var command = new Command(verb, description) { name };
        foreach (var option in options)
            command.Options.Add(option);
        command.SetFleetAction(ctx, async (parse, conn, ct) =>
        {
            var fleet = parse.GetValue(name)!;
            var reply = await call(parse, conn.Fleets, fleet, ct);
            await ctx.Env.Out.WriteLineAsync(done(parse, fleet));
            await ctx.Env.Out.WriteLineAsync(StatusLine(reply));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary><c>Halted - wave staging: halted by alice</c>: where the run stands after the command.</summary>
    public static string StatusLine(FleetRolloutReply reply) =>
        string.IsNullOrEmpty(reply.Message) ? reply.Phase : $"{reply.Phase} - {reply.Message}";
}
