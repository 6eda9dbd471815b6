using Coordinator.Abstractions;

namespace Coordinator.Grains.Fleet;

/// <summary>
/// Brings back, on this silo, the Rollouts that Orleans deactivated only because the silo holding their grain-directory
/// entry died: a survivor's own Rollouts, which had nothing to do with the failure. Their timers stop with the
/// activation, and without this they would wait for <see cref="RolloutReactivation"/>, which walks every Rollout of the
/// fleet (the dead silo's too) or for their reminders. They come back at once, the nearest deadline first, a bounded
/// number at a time (a third of a silo's Rollouts can be in that directory share).
/// </summary>
internal sealed class DirectoryLossRevival(Func<RolloutKey, Task> activate)
{
    internal const int Concurrency = 16;

    /// <summary>Activates through the reactivation's retrying call: the grain's old activation may still be leaving.</summary>
    public DirectoryLossRevival(RolloutReactivation reactivation) : this(reactivation.EnsureActiveAsync) { }

    private readonly PriorityQueue<RolloutKey, DateTimeOffset> _waiting = new();
    private readonly Lock _gate = new();
    private int _running;

    /// <summary>Queues one Rollout, deactivated for a directory failure, to be activated again.</summary>
    public void Revive(RolloutKey rollout, DateTimeOffset? nextDeadline)
    {
        lock (_gate) _waiting.Enqueue(rollout, nextDeadline ?? DateTimeOffset.MaxValue);
        Pump();
    }

    private void Pump()
    {
        while (true)
        {
            RolloutKey key;
            lock (_gate)
            {
                if (_running >= Concurrency || !_waiting.TryDequeue(out key!, out _)) return;
                _running++;
            }
            // Off the deactivating grain's scheduler: the call is the silo's, not the old activation's.
            _ = Task.Run(() => ActivateAsync(key));
        }
    }

    private async Task ActivateAsync(RolloutKey key)
    {
        try
        {
            await activate(key);
        }
        finally
        {
            lock (_gate) _running--;
            Pump();
        }
    }
}
