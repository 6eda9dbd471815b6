using System.Diagnostics;

namespace Coordinator.Benchmarks;

/// <summary>
/// A noisy neighbour: a second process that keeps one core busy until disposed (issue 12: the step-lag tail must hold
/// with one core taken by something else). A shell loop, so that it shares nothing with the process measured.
/// </summary>
internal sealed class BackgroundLoad : IDisposable
{
    private readonly Process _process;

    private BackgroundLoad(Process process) => _process = process;

    public static BackgroundLoad Start()
    {
        var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "while :; do :; done"]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("could not start the background load");
        BenchmarkSupport.Log($"background load: pid {process.Id} keeps one core busy");
        return new BackgroundLoad(process);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
    }
}
