using System.Diagnostics;

namespace Coordinator.Benchmarks;

/// <summary>This program started again with one of its commands, as a child process (a KubeSim, a second silo, ...).</summary>
internal static class BenchmarkChildProcess
{
    /// <param name="redirect">Redirect stdin, stdout and stderr (the parent talks to the child); otherwise it inherits them.</param>
    public static ProcessStartInfo StartInfo(bool redirect, params string[] commandAndArguments)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = redirect, RedirectStandardOutput = redirect, RedirectStandardError = redirect };
        // Under `dotnet run` or `dotnet Coordinator.Benchmarks.dll` the process is the host: it needs the assembly first.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") start.ArgumentList.Add(typeof(BenchmarkChildProcess).Assembly.Location);
        foreach (var arg in commandAndArguments) start.ArgumentList.Add(arg);
        return start;
    }
}
