using Azure.Data.Tables;
using Coordinator.Domain.Fleet;
using Coordinator.Testing;
using Coordinator.Grains;
using Coordinator.Grains.Fleet;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Coordinator.Durability.Tests;

/// <summary>
/// A fleet run of 10,000 clusters saves and reads back on Azure Table storage (Azurite), where one grain state may hold at
/// most 960 KB: the run's clusters are saved in shards beside the fleet's state.
/// </summary>
public sealed class FleetRunStorageTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_ten_thousand_cluster_run_saves_in_shards_and_reads_back()
    {
        await using var azurite = await Azurite.StartAsync();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddAzureTableGrainStorage(GrainStorageNames.Rollouts,
            o => { o.TableServiceClient = new TableServiceClient(azurite.ConnectionString); o.TableName = $"t{Guid.NewGuid():N}"; }));
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        var storage = cluster.Silos[0].SiloHost.Services.GetRequiredKeyedService<IGrainStorage>(GrainStorageNames.Rollouts);
        var grain = GrainId.Create("fleet", "ten-thousand");

        var names = Enumerable.Range(0, 10_000).Select(i => $"cluster-{i:00000}.europe-west1").ToList();
        var run = FleetRunState.Start(1, new FleetPlan([new PlannedWave("all", names, 1000, TimeSpan.Zero, false, 0)], int.MaxValue), Now);
        foreach (var name in names.Take(3_000))
            run = run.WithCluster(run.Cluster(name) with { State = FleetClusterState.Healthy, StartedAt = Now, FinishedAt = Now, TargetHash = "6c9f5b7d8", PreviousHash = "5d8c7f6b9" });
        Assert.True(FleetRunJson.Clusters(run.Clusters, 0, run.Clusters.Count).Length > 960 * 1024, "the whole run would not fit one table entity");

        var writer = new FleetRunShards(storage, grain, "fleetRollout");
        await writer.WriteAsync(run, 1);
        writer.Saved();
        var head = new FleetRolloutGrainState { Commit = 1, RunId = writer.RunId, RunShards = writer.Count, ShardSlots = writer.ShardSlots };

        var read = await new FleetRunShards(storage, grain, "fleetRollout").ReadAsync(head, 1);
        Assert.Equal(run.Clusters.Select(c => (c.Name, c.State, c.TargetHash)), read.Select(c => (c.Name, c.State, c.TargetHash)));
    }
}
