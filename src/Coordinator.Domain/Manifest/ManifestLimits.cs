namespace Coordinator.Domain.Manifest;

/// <summary>
/// Bounds on a manifest, checked while it is read (before any tree is built deep or wide enough to exhaust the
/// process): its size, how deep it nests, how many YAML aliases it uses and how many nodes it has once aliases are
/// expanded (the "billion laughs" of CVE-2019-11253), and how many canary steps it declares. Every refusal names the
/// setting that raises the bound, <c>Coordinator:Limits:*</c>.
/// </summary>
public sealed record ManifestLimits
{
    /// <summary>The configuration section that holds these settings.</summary>
    public const string Section = "Coordinator:Limits";

    public static ManifestLimits Default { get; } = new();

    /// <summary>Size of the manifest text in UTF-8 bytes.</summary>
    public int MaxManifestBytes { get; init; } = 1024 * 1024;

    /// <summary>YAML nodes (keys, values, collections), each alias counting as the nodes it stands for.</summary>
    public int MaxYamlNodes { get; init; } = 10_000;

    public int MaxYamlAliases { get; init; } = 100;

    /// <summary>Nested mappings/sequences (YAML) or objects/arrays (JSON); the top-level object is level 1.</summary>
    public int MaxNestingDepth { get; init; } = 64;

    /// <summary>Entries of <c>spec.strategy.canary.steps</c>.</summary>
    public int MaxSteps { get; init; } = 100;

    /// <summary>The configuration key of a setting, e.g. <c>Coordinator:Limits:MaxManifestBytes</c>.</summary>
    public static string Key(string setting) => $"{Section}:{setting}";
}
