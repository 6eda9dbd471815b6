using System.Diagnostics;

using Coordinator.Testing;

namespace Coordinator.Durability.Tests.Infrastructure;

/// <summary>The silo as a real child process (<c>dotnet Coordinator.Silo.dll ...</c>), so a test can kill it and start it again.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    private SiloProcess(Process process, Uri http, Uri grpc)
    {
        _process = process;
        HttpUrl = http;
        GrpcUrl = grpc;
    }

    public Uri HttpUrl { get; }

    public Uri GrpcUrl { get; }

    public string Output { get { lock (_output) return _output.ToString(); } }

    public static async Task<SiloProcess> StartAsync(SiloPorts ports, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(SiloDll());
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var arg in new[]
                 {
                     "--http-port", ports.Http.ToString(), "--grpc-port", ports.Grpc.ToString(),
                     "--silo-port", ports.Silo.ToString(), "--gateway-port", ports.Gateway.ToString(),
                     "--Serilog:MinimumLevel:Default", "Warning",
                 })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the silo");
        var silo = new SiloProcess(process, new Uri($"http://127.0.0.1:{ports.Http}"), new Uri($"http://127.0.0.1:{ports.Grpc}"));
        process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await silo.WaitReadyAsync();
        }
        catch
        {
            await silo.DisposeAsync(); // a start tried again on other ports must not leave this one's process behind
            throw;
        }
        return silo;
    }

    /// <summary>
    /// A first start on ports nobody holds. A port <see cref="SiloPorts.Free"/> found free can be taken before the silo
    /// binds it (the other test projects run beside this one, opening sockets of their own); the silo then exits with
    /// "Address already in use", and it is started again on other ports.
    /// </summary>
    public static async Task<(SiloProcess Silo, SiloPorts Ports)> StartOnFreePortsAsync(params string[] args)
    {
        for (var attempt = 1; ; attempt++)
        {
            var ports = SiloPorts.Free();
            try
            {
                return (await StartAsync(ports, args), ports);
            }
            catch (PortTakenException) when (attempt < 3)
            {
                // another process took one of the ports meanwhile
            }
        }
    }

    /// <summary>Like a crash: no graceful shutdown, nothing flushed.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private async Task WaitReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (_process.HasExited)
            {
                var message = $"the silo exited with code {_process.ExitCode}:\n{Output}";
                throw Output.Contains("Address already in use", StringComparison.Ordinal) ? new PortTakenException(message) : new InvalidOperationException(message);
            }
            try
            {
                if ((await http.GetAsync(new Uri(HttpUrl, "/readyz"))).IsSuccessStatusCode) return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the silo did not become ready:\n{Output}");
            await Task.Delay(100);
        }
    }

    private static string SiloDll()
    {
        // The silo is built next to the tests (same configuration): bin/<Configuration>/net10.0 of the silo project.
        var testBin = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = testBin.Parent!.Name; // .../bin/<Configuration>/net10.0/
        for (var dir = testBin; dir is not null; dir = dir.Parent)
        {
            var dll = Path.Combine(dir.FullName, "silo", "Coordinator.Silo", "bin", configuration, "net10.0", "Coordinator.Silo.dll");
            if (File.Exists(dll)) return dll;
        }
        throw new FileNotFoundException("Coordinator.Silo.dll not found; build the solution first");
    }
}

/// <summary>The four ports of one silo, fixed so a restarted process comes back at the same address.</summary>
public sealed record SiloPorts(int Http, int Grpc, int Silo, int Gateway)
{
    public static SiloPorts Free() => new(Azurite.FreePort(), Azurite.FreePort(), Azurite.FreePort(), Azurite.FreePort());
}

/// <summary>The silo could not bind one of its ports: another process holds it.</summary>
public sealed class PortTakenException(string message) : InvalidOperationException(message);
