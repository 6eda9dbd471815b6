using Coordinator.Grains.Fleet;
using Coordinator.Grains.Rollouts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        // Orleans' default grain directory, on purpose: its distributed directory (AddDistributedGrainDirectory) kept a
        // survivor's Rollouts running through a silo failure, but every step of every Rollout came 150 ms later
        // (docs/benchmarks.md, fifth session of 2026-12-01).
        // The directory's cache of grain locations, sized for 100,000 grains: Orleans' default, a million, preallocates the
        // buckets of a million entries in each of its two caches, 18.6 MB of the silo's heap however few grains it has
        // (a silo of 10,000 Rollouts and their fleet has ~20,000 grains).
        services.Configure<Orleans.Configuration.GrainDirectoryOptions>(o => o.CacheSize = 100_000);
        services.TryAddSingleton(TimeProvider.System);
        // Every grain storage provider without a serializer of its own takes this one (see the class for why).
        services.Replace(ServiceDescriptor.Singleton<IGrainStorageSerializer, Coordinator.Grains.Hosting.CompactGrainStorageSerializer>());
        services.AddSingleton<Coordinator.Grains.Fleet.RolloutReactivation>();
        services.AddSingleton(sp => new Coordinator.Grains.Fleet.DirectoryLossRevival(sp.GetRequiredService<Coordinator.Grains.Fleet.RolloutReactivation>()));
        // What the silo's gauges read (rollout_info, fleet runs): the grains publish their snapshots into it.
        services.TryAddSingleton(Coordinator.Grains.Observability.LiveSnapshots.Process);
        services.AddHostedService<Coordinator.Grains.Fleet.SiloFailureWaker>();
        services.AddSingleton<Coordinator.Grains.Scheduling.DeadlineCalendar>();
        services.AddHostedService<Coordinator.Grains.Scheduling.CollectionBeforeDeadlines>();
        var options = services.AddOptions<RolloutTimingOptions>();
        if (timing is not null) options.Configure(timing);
        var fleetOptions = services.AddOptions<FleetOptions>();
        if (fleet is not null) fleetOptions.Configure(fleet);
        return silo;
    }
}
