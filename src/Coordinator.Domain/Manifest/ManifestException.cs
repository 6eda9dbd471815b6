namespace Coordinator.Domain.Manifest;

/// <summary>A manifest (a Rollout, a FleetRollout) that cannot be read: names the field path and, for YAML input, the line (1-based).</summary>
public sealed class ManifestException : Exception
{
    public ManifestException(string path, string detail, int? line = null, Exception? inner = null)
        : this(path, detail, line, Format(path, detail, line), inner)
    {
    }

    private ManifestException(string path, string detail, int? line, string message, Exception? inner)
        : base(message, inner)
    {
        Path = path;
        Detail = detail;
        Line = line;
    }

    /// <summary>Field path such as <c>spec.strategy.canary.steps[0].setWeight</c>; empty for syntax errors.</summary>
    public string Path { get; }

    public string Detail { get; }

    public int? Line { get; }

    /// <summary>
    /// A bound of <see cref="ManifestLimits"/> was hit: "<paramref name="detail"/> at line N (Coordinator:Limits:<paramref name="setting"/>)",
    /// so the message says both where and which setting raises the bound.
    /// </summary>
    public static ManifestException LimitExceeded(string setting, string detail, long? line = null, string path = "")
    {
        var where = line is { } l ? $" at line {l}" : "";
        var full = $"{detail}{where} ({ManifestLimits.Key(setting)})";
        return new ManifestException(path, full, (int?)line, path.Length == 0 ? full : $"{path}: {full}", null);
    }

    private static string Format(string path, string detail, int? line)
    {
        var where = line is { } l ? $" (line {l})" : "";
        // A detail that already names the field (unknown field "spec.x") reads as kubectl prints it.
        return path.Length == 0 || detail.Contains($"\"{path}\"", StringComparison.Ordinal) ? $"{detail}{where}" : $"{path}: {detail}{where}";
    }
}
