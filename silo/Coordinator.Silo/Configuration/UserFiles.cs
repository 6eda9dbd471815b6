using Coordinator.Domain.Manifest;

namespace Coordinator.Silo.Configuration;

/// <summary>
/// Files named by the operator (the <c>--config</c> JSON, kubeconfigs) are read whole by libraries, so they are bounded
/// first: by size, and a kubeconfig's YAML by the nesting and alias limits. (The JSON configuration provider already
/// refuses nesting deeper than System.Text.Json's 64 levels.)
/// </summary>
public static class UserFiles
{
    /// <summary>The most a configuration file or kubeconfig may hold; a kubeconfig of a thousand clusters with inline certificates stays well below.</summary>
    public const long MaxBytes = 16 * 1024 * 1024;

    /// <exception cref="InvalidOperationException">The file is larger than <see cref="MaxBytes"/>.</exception>
    public static void EnsureSmall(string path, string setting)
    {
        var info = new FileInfo(path);
        if (info.Exists && info.Length > MaxBytes)
            throw new InvalidOperationException($"{setting}: file '{path}' is {info.Length} bytes, more than the limit of {MaxBytes} bytes");
    }

    /// <exception cref="InvalidOperationException">The kubeconfig is too large, nests too deep or uses too many aliases.</exception>
    public static void EnsureSafeKubeconfig(string path, string setting, ManifestLimits limits)
    {
        EnsureSmall(path, setting);
        if (!File.Exists(path)) return; // the loader reports a missing file itself
        try
        {
            YamlGuard.Check(File.ReadAllText(path), limits);
        }
        catch (ManifestException ex)
        {
            throw new InvalidOperationException($"{setting}: kubeconfig '{path}': {ex.Message}", ex);
        }
    }
}
