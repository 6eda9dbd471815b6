namespace Coordinator.Grpc;

/// <summary>
/// Retries a grain call that failed because the silo hosting the grain died. Orleans needs a few seconds
/// to declare the silo dead; until then calls to its grains fail fast. After that the grain is activated
/// on a surviving silo from its persisted state, so the retry reaches the same rollout.
/// </summary>
internal static class GrainCallRetry
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);

    public static async Task<T> RunAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + Budget;
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (IsSiloLoss(ex) && DateTime.UtcNow + delay < deadline)
            {
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }

    private static bool IsSiloLoss(Exception ex) => ex is SiloUnavailableException or OrleansMessageRejectionException;
}
