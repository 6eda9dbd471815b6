using System.Text.RegularExpressions;

namespace Coordinator.Grains.Tests.Infrastructure;

/// <summary>The seed's manifests as files (deploy/examples/seed), with short pauses for tests.</summary>
public static partial class Manifests
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

    /// <summary>
    /// The seed Rollout with other steps (each a YAML flow item such as <c>setWeight: 20</c> or <c>pause: {}</c>),
    /// extra lines under <c>spec</c> (e.g. <c>progressDeadlineSeconds: 3</c>) and under <c>spec.strategy.canary</c>.
    /// </summary>
    public static string Rollout(string[]? steps = null, string[]? spec = null, string[]? canary = null, int scaleDownDelaySeconds = 1)
    {
        var yaml = FastSeedRollout(scaleDownDelaySeconds: scaleDownDelaySeconds);
        if (steps is not null)
            yaml = StepsBlock().Replace(yaml, "      steps:\n" + string.Concat(steps.Select(s => $"        - {s}\n")));
        if (spec is not null)
            yaml = yaml.Replace("spec:\n", "spec:\n" + string.Concat(spec.Select(l => $"  {l}\n")));
        if (canary is not null)
            yaml = yaml.Replace("    canary:\n", "    canary:\n" + string.Concat(canary.Select(l => $"      {l}\n")));
        return yaml;
    }

    [GeneratedRegex(@"      steps:\n(        - .*\n)+")]
    private static partial Regex StepsBlock();
}
