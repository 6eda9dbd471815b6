using System.Reflection;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// The demo's FleetRollout, deploy/examples/fleet/demo-yellow.yaml (embedded): the seed's change to yellow through the
/// waves dev, staging and prod, one cluster at a time, each wave baked before the next starts.
/// </summary>
internal static class DemoFleet
{
    public const string Name = "demo-yellow";
    public const string Image = "argoproj/rollouts-demo:yellow";

    /// <summary>Short enough to watch; <c>--demo-pause</c> sets it along with the seed's pauses.</summary>
    public const string DefaultBakeTime = "10s";

    /// <summary>The bake time the example file gives its waves.</summary>
    private const string ExampleBakeTime = "bakeTime: 30s";

    /// <summary>The example manifest with the bake time given, e.g. <c>2s</c>.</summary>
    public static string Text(string bakeTime)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("demo-yellow.yaml")!;
        var yaml = new StreamReader(stream).ReadToEnd();
        // The example is the one source of the demo's manifest; if it changes shape this says so instead of ignoring --demo-pause.
        if (!yaml.Contains(ExampleBakeTime, StringComparison.Ordinal))
            throw new InvalidOperationException($"deploy/examples/fleet/demo-yellow.yaml no longer holds '{ExampleBakeTime}' for the demo to shorten");
        return yaml.Replace(ExampleBakeTime, $"bakeTime: {bakeTime}", StringComparison.Ordinal);
    }

    /// <summary>Phases after which the run changes no more.</summary>
    public static bool IsFinal(string phase) => phase is "Completed" or "Failed" or "Aborted" or "Reverted";
}
