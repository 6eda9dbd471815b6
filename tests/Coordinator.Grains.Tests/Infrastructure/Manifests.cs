namespace Coordinator.Grains.Tests.Infrastructure;

/// <summary>The seed's manifests as files (deploy/examples/seed), with short pauses for tests.</summary>
public static class Manifests
{
    public static string SeedRollout => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Seed", "rollout.yaml"));

    /// <summary>The seed Rollout with its 30 s pauses shortened and the scale-down delays set.</summary>
    public static string FastSeedRollout(string pause = "1s", int scaleDownDelaySeconds = 1, int? abortScaleDownDelaySeconds = null)
    {
        var yaml = SeedRollout.Replace("duration: 30s", $"duration: {pause}");
        var extra = $"      scaleDownDelaySeconds: {scaleDownDelaySeconds}\n";
        if (abortScaleDownDelaySeconds is { } abort) extra += $"      abortScaleDownDelaySeconds: {abort}\n";
        return yaml.Replace("    canary:\n", "    canary:\n" + extra);
    }
}
