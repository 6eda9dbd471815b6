using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Coordinator.Grains.Fleet;

/// <summary>
/// Watches cluster membership on every silo and brings Rollouts (and fleets) back (<see cref="RolloutReactivation"/>)
/// when nobody else would: on the survivors when a silo is declared dead, and on a silo that comes up as the only
/// active one (the whole cluster restarted). Without it, a Rollout whose pause ended while its silo was down would wait
/// for a reminder: Orleans does not replay a missed tick (up to a period late), and a new silo's first read of the
/// reminder table, if slow, is retried only after 30 s.
/// </summary>
internal sealed class SiloFailureWaker(
    IClusterMembershipService membership, ILocalSiloDetails localSilo, RolloutReactivation reactivation, ILogger<SiloFailureWaker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var dead = new HashSet<SiloAddress>(membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress));
        var startSeen = false;
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                var newlyDead = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead && dead.Add(m.SiloAddress)).ToList();
                if (!startSeen && snapshot.GetSiloStatus(localSilo.SiloAddress) == SiloStatus.Active)
                {
                    startSeen = true;
                    if (!snapshot.Members.Values.Any(m => m.Status == SiloStatus.Active && !m.SiloAddress.Equals(localSilo.SiloAddress)))
                    {
                        logger.LogInformation("This silo is the only active one; bringing every rollout back");
                        await ReactivateAsync(stoppingToken);
                        continue;
                    }
                }
                if (newlyDead.Count == 0) continue;
                logger.LogWarning("Silo {Silo} was declared dead; bringing its rollouts back on the survivors", newlyDead[0].SiloAddress);
                await ReactivateAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ReactivateAsync(CancellationToken stoppingToken)
    {
        try
        {
            await reactivation.RunAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            // The directory itself may have lived on the dead silo and is coming back; the reminders remain the backstop.
            logger.LogWarning("Could not bring the rollouts back: {Error}", ex.Message);
        }
    }
}
