using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coordinator.Cli.Connection;

/// <summary>What <c>rolloutctl login</c> remembers: the server and how to authenticate to it.</summary>
internal sealed record CliConfig(
    [property: JsonPropertyName("server")] string Server,
    [property: JsonPropertyName("token")] string? Token,
    [property: JsonPropertyName("caFile")] string? CaFile,
    [property: JsonPropertyName("clientCert")] string? ClientCert,
    [property: JsonPropertyName("clientKey")] string? ClientKey);

/// <summary>
/// The config file <c>rolloutctl login</c> writes (<c>$ROLLOUTCTL_CONFIG</c>, else <c>~/.config/rolloutctl/config.json</c>),
/// readable by its owner only, like a kubeconfig. Flags and environment variables win over it.
/// </summary>
internal static class CliConfigFile
{
    public const string PathVariable = "ROLLOUTCTL_CONFIG";

    public static string PathFor(CliEnvironment env) =>
        env.Variable(PathVariable) is { Length: > 0 } path
            ? path
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "rolloutctl", "config.json");

    /// <summary>The saved config, or null when there is none or it cannot be read (the defaults then apply).</summary>
    public static CliConfig? Read(CliEnvironment env)
    {
        var path = PathFor(env);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<CliConfig>(File.ReadAllText(path)) : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static string Write(CliEnvironment env, CliConfig config)
    {
        var path = PathFor(env);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(path, options))
            JsonSerializer.Serialize(stream, config, new JsonSerializerOptions { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull });
        // An existing file keeps its mode on overwrite: tighten it as well.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    public static bool Delete(CliEnvironment env)
    {
        var path = PathFor(env);
        if (!File.Exists(path)) return false;
        File.Delete(path);
        return true;
    }
}
