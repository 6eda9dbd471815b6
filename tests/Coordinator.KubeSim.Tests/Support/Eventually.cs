namespace Coordinator.KubeSim.Tests.Support;

/// <summary>Polls a condition until it holds or a deadline passes (controllers run asynchronously).</summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        T last;
        while (true)
        {
            last = await probe();
            if (done(last)) return last;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}; last value: {last}");
            await Task.Delay(20);
        }
    }

    public static Task<T> GetAsync<T>(Func<T> probe, Func<T, bool> done, string what, int timeoutMs = 10_000) =>
        GetAsync(() => Task.FromResult(probe()), done, what, timeoutMs);

    public static Task TrueAsync(Func<bool> condition, string what, int timeoutMs = 10_000) =>
        GetAsync(() => Task.FromResult(condition()), ok => ok, what, timeoutMs);
}
