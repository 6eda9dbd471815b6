using Xunit.Abstractions;

namespace Coordinator.Durability.Tests.Infrastructure;

/// <summary>
/// Runs a restart scenario a second time, from scratch, when the first attempt fails, and writes the first failure to
/// the test output. For the restart tests only. It was added for a stall in which a new silo's calls to the test's
/// KubeSim went unanswered past their 5 s attempt timeout; the cause was the test process's thread pool (xunit's runner
/// blocks two of its threads, the minimum on two cores, and KubeSim's work waited behind them), fixed by the test
/// projects' thread-pool floor (Directory.Build.props). Stressed runs since showed no first-attempt failure; the guard
/// stays until clean-clone CI runs confirm it (the first failure is in the test output). A deadline the restart makes
/// late fails both attempts.
/// </summary>
internal static class SecondAttempt
{
    public static async Task RunAsync(ITestOutputHelper output, Func<Task> scenario)
    {
        try
        {
            await scenario();
        }
        catch (Exception first) when (first is Xunit.Sdk.XunitException or TimeoutException)
        {
            output.WriteLine($"first attempt failed, trying again from scratch: {first.Message}");
            await scenario();
        }
    }
}
