using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Coordinator.Testing;

/// <summary>
/// Azurite (the npm package, installed into the repository's .tools folder by .ci/install-tools — the
/// first run installs it if it is missing) on free loopback ports with in-memory persistence.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Process _process;

    private Azurite(Process process, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        ConnectionString =
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            $"AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;" +
            $"QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";
    }

    public string ConnectionString { get; }

    /// <summary>The node process (benchmarks report its CPU time).</summary>
    public Process Process => _process;

    public static async Task<Azurite> StartAsync()
    {
        var script = await EnsureInstalledAsync();
        int blob = FreePort(), queue = FreePort(), table = FreePort();
        var start = new ProcessStartInfo("node")
        {
            ArgumentList =
            {
                script, "--inMemoryPersistence", "--loose", "--skipApiVersionCheck", "--disableTelemetry", "--silent",
                "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(),
                "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(),
                "--tableHost", "127.0.0.1", "--tablePort", table.ToString(),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node for Azurite");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new Azurite(process, blob, queue, table);
        await WaitForPortAsync(table, process);
        await WaitForPortAsync(blob, process);
        return azurite;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static async Task<string> EnsureInstalledAsync()
    {
        var root = Repository.Root;
        var script = Path.Combine(root, ".tools", "node_modules", "azurite", "dist", "src", "azurite.js");
        if (File.Exists(script)) return script;
        // A fresh clone running `dotnet test` directly: install it the way CI does.
        var install = Process.Start(new ProcessStartInfo("bash", [Path.Combine(root, ".ci", "install-tools")]) { WorkingDirectory = root })
            ?? throw new InvalidOperationException("could not run .ci/install-tools");
        await install.WaitForExitAsync();
        if (install.ExitCode != 0 || !File.Exists(script))
            throw new InvalidOperationException($"Azurite is not installed and .ci/install-tools failed (exit {install.ExitCode})");
        return script;
    }

    private static async Task WaitForPortAsync(int port, Process process)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"Azurite exited with code {process.ExitCode}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
