using Coordinator.Cli.Rendering;

namespace Coordinator.Cli.Commands;

/// <summary>Writes rendered text and maps the outcome to an exit code.</summary>
internal static class Output
{
    public static async Task<int> WriteAsync(CliEnvironment env, ReplySummary summary)
    {
        await env.Out.WriteAsync(summary.Out);
        await env.Error.WriteAsync(summary.Error);
        return summary.Failed ? ExitCodes.Failed : ExitCodes.Ok;
    }
}
