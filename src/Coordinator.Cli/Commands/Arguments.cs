using System.CommandLine;

namespace Coordinator.Cli.Commands;

/// <summary>Arguments shared by several commands.</summary>
internal static class Arguments
{
    public static Argument<string> RolloutName() => new("NAME") { Description = "Name of the rollout" };
}
