using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Coordinator.Grains.Fleet;

/// <summary>
/// Watches cluster membership on every silo; when a silo is declared dead, brings its Rollouts back on the survivors
/// (<see cref="RolloutReactivation"/>). Without it, a Rollout whose pause ended while its silo was down would wait for
/// the next reminder period (Orleans does not replay a missed tick), i.e. up to a minute after the failover.
/// </summary>
internal sealed class SiloFailureWaker(IClusterMembershipService membership, RolloutReactivation reactivation, ILogger<SiloFailureWaker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var dead = new HashSet<SiloAddress>(membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress));
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                var newlyDead = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead && dead.Add(m.SiloAddress)).ToList();
                if (newlyDead.Count == 0) continue;
                logger.LogWarning("Silo {Silo} was declared dead; bringing its rollouts back on the survivors", newlyDead[0].SiloAddress);
                try
                {
                    await reactivation.RunAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is OrleansException or TimeoutException)
                {
                    // The directory itself may have lived on the dead silo and is coming back; the reminders remain the backstop.
                    logger.LogWarning("Could not bring the rollouts back after a silo failure: {Error}", ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
