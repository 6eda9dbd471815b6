using System.CommandLine;

namespace Coordinator.Cli.Commands;

/// <summary>The <c>-f FILE</c> of the commands that send a manifest: read bounded, a file over the limit refused before it is read.</summary>
internal static class ManifestFile
{
    public static Option<string> Option(string description) => new("--filename", "-f")
    {
        Description = description,
        HelpName = "FILE",
        Required = true,
    };

    /// <summary>
    /// The coordinator's default manifest limit (<c>Coordinator:Limits:MaxManifestBytes</c>): a larger file is refused
    /// here, before it is read whole or sent, rather than by the server after the upload.
    /// </summary>
    internal const int MaxManifestBytes = 1024 * 1024;

    public static async Task<string> ReadAsync(string path, TextReader stdin, CancellationToken ct)
    {
        if (path == "-")
            return await ReadBoundedAsync(stdin, "standard input", ct);
        try
        {
            var size = new FileInfo(path).Length;
            if (size > MaxManifestBytes)
                throw TooLarge(path, size.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var reader = new StreamReader(path);
            return await ReadBoundedAsync(reader, path, ct); // the file may have grown since
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"cannot read {path}: {ex.Message}");
        }
    }

    private static async Task<string> ReadBoundedAsync(TextReader reader, string source, CancellationToken ct)
    {
        var text = new System.Text.StringBuilder();
        var buffer = new char[64 * 1024];
        int read;
        while ((read = await reader.ReadAsync(buffer, ct)) > 0)
        {
            text.Append(buffer, 0, read);
            // Characters never outnumber UTF-8 bytes, so more characters than the limit is certainly too large.
            if (text.Length > MaxManifestBytes)
                throw TooLarge(source, $"more than {MaxManifestBytes}");
        }
        var manifest = text.ToString();
        var bytes = System.Text.Encoding.UTF8.GetByteCount(manifest);
        return bytes > MaxManifestBytes ? throw TooLarge(source, bytes.ToString(System.Globalization.CultureInfo.InvariantCulture)) : manifest;
    }

    private static CommandFailedException TooLarge(string source, string size) =>
        new($"{source}: {size} bytes exceeds the limit of {MaxManifestBytes} bytes (the coordinator's default Coordinator:Limits:MaxManifestBytes)");
}
