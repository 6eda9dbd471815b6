using System.Text.RegularExpressions;

namespace Coordinator.Testing;

/// <summary>
/// The seed Rollout (deploy/examples/seed/rollout.yaml, the seed experiment's own manifest), embedded once for every
/// test suite, and the variants tests run: shorter pauses, other steps, extra fields, a namespace.
/// </summary>
public static partial class Manifests
{
    public static string SeedRollout { get; } = ReadEmbedded("Seed.rollout.yaml");

    /// <summary>The seed Rollout with its 30 s pauses shortened and the scale-down delays set.</summary>
    public static string FastSeedRollout(string pause = "1s", int scaleDownDelaySeconds = 1, int? abortScaleDownDelaySeconds = null)
    {
        var yaml = SeedRollout.Replace("duration: 30s", $"duration: {pause}", StringComparison.Ordinal);
        var extra = $"      scaleDownDelaySeconds: {scaleDownDelaySeconds}\n";
        if (abortScaleDownDelaySeconds is { } abort) extra += $"      abortScaleDownDelaySeconds: {abort}\n";
        return yaml.Replace("    canary:\n", "    canary:\n" + extra, StringComparison.Ordinal);
    }

    /// <summary>
    /// The seed Rollout (1 s pauses) with other steps (each a YAML flow item such as <c>setWeight: 20</c> or
    /// <c>pause: {}</c>), extra lines under <c>spec</c> (e.g. <c>progressDeadlineSeconds: 3</c>) and under
    /// <c>spec.strategy.canary</c>, and a <c>metadata.namespace</c> for callers that apply by file.
    /// </summary>
    public static string Rollout(
        string[]? steps = null, string[]? spec = null, string[]? canary = null, int scaleDownDelaySeconds = 1,
        int? abortScaleDownDelaySeconds = null, string? @namespace = null, string? name = null)
    {
        var yaml = FastSeedRollout(scaleDownDelaySeconds: scaleDownDelaySeconds, abortScaleDownDelaySeconds: abortScaleDownDelaySeconds);
        if (steps is not null)
            yaml = StepsBlock().Replace(yaml, "      steps:\n" + string.Concat(steps.Select(s => $"        - {s}\n")));
        if (spec is not null)
            yaml = yaml.Replace("spec:\n", "spec:\n" + string.Concat(spec.Select(l => $"  {l}\n")), StringComparison.Ordinal);
        if (canary is not null)
            yaml = yaml.Replace("    canary:\n", "    canary:\n" + string.Concat(canary.Select(l => $"      {l}\n")), StringComparison.Ordinal);
        var metadata = $"metadata:\n  name: {name ?? "rollouts-demo"}\n" + (@namespace is null ? "" : $"  namespace: {@namespace}\n");
        return yaml.Replace("metadata:\n  name: rollouts-demo\n", metadata, StringComparison.Ordinal);
    }

    private static string ReadEmbedded(string name)
    {
        using var stream = typeof(Manifests).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"      steps:\n(        - .*\n)+")]
    private static partial Regex StepsBlock();
}
