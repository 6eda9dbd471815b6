using Coordinator.Grains.Fleet;
using Coordinator.Grains.Rollouts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Storage;

namespace Orleans.Hosting;

public static class CoordinatorSiloBuilderExtensions
{
    /// <summary>
    /// Registers what the rollout grains need on a silo besides the cluster ports: a clock, the rollout timing, the
    /// waker after silo failures and the grain state's serializer. The ports (<c>IClusterGateway</c>, <c>IClusterChanges</c>, <c>IClusterDirectory</c>) are
    /// the host's to wire, e.g. with <c>AddKubernetesClusters</c>; so are grain storage named <c>rollouts</c> and a reminder service.
    /// <paramref name="fleet"/> sets the fleet-wide limits (<c>Coordinator:Fleet</c> in the silo's configuration).
    /// </summary>
    public static ISiloBuilder AddCoordinatorGrains(this ISiloBuilder silo, Action<RolloutTimingOptions>? timing = null, Action<FleetOptions>? fleet = null)
    {
        var services = silo.Services;
        // Orleans' default directory loses the entries a dead silo held, so every survivor deactivates its own grains
        // registered there (36 of 250 in the failover benchmark): their timers die and a pause ends only when something
        // activates them again, behind the dead silo's grains. The distributed directory recovers those entries from
        // the survivors instead, so a Rollout that never left a live silo never stops.
#pragma warning disable ORLEANSEXP003 // experimental in Orleans 10; every silo of a cluster must register it
        silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        // Its default lease keeps a dead silo's grains from activating anywhere for 30 s after the failure (in case the
        // silo is not dead but hung, and wakes up): that is the whole failover budget. A Rollout needs no such fence:
        // two activations of one cannot both save (grain state ETags; the loser reloads, RolloutGrain.Scheduling.cs)
        // nor both write an object (resourceVersion conflicts), as with Orleans' default directory.
        silo.Configure<GrainDirectoryOptions>(o => o.RangeLeaseDuration = TimeSpan.Zero);
        services.TryAddSingleton(TimeProvider.System);
        // Every grain storage provider without a serializer of its own takes this one (see the class for why).
        services.Replace(ServiceDescriptor.Singleton<IGrainStorageSerializer, Coordinator.Grains.Hosting.CompactGrainStorageSerializer>());
        services.AddSingleton<Coordinator.Grains.Fleet.RolloutReactivation>();
        // What the silo's gauges read (rollout_info, fleet runs): the grains publish their snapshots into it.
        services.TryAddSingleton(Coordinator.Grains.Observability.LiveSnapshots.Process);
        services.AddHostedService<Coordinator.Grains.Fleet.SiloFailureWaker>();
        var options = services.AddOptions<RolloutTimingOptions>();
        if (timing is not null) options.Configure(timing);
        var fleetOptions = services.AddOptions<FleetOptions>();
        if (fleet is not null) fleetOptions.Configure(fleet);
        return silo;
    }
}
