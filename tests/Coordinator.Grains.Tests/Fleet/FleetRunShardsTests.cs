using Coordinator.Domain.Fleet;
using Coordinator.Grains.Fleet;
using Orleans.Storage;

namespace Coordinator.Grains.Tests.Fleet;

/// <summary>
/// A fleet run saved in shards: a save writes only the shards that changed, and reads back as the last save whose head
/// was saved, whatever a lost silo left half written.
/// </summary>
public sealed class FleetRunShardsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly GrainId Grain = GrainId.Create("fleet", "demo-yellow");

    private readonly SlotStorage _storage = new();

    [Fact]
    public async Task A_save_writes_the_shards_that_changed_and_reads_back_whole()
    {
        var run = Run(1, 200); // shards of 64, 64, 64 and 8 clusters
        var writer = Shards();
        var head = await SaveAsync(writer, run, 1);
        Assert.Equal(4, _storage.Writes);

        run = Finish(run, "c130");
        head = await SaveAsync(writer, run, head.Commit + 1);

        Assert.Equal(5, _storage.Writes);
        var read = await Shards().ReadAsync(head, run.Run);
        Assert.Equal(run.Clusters.Select(c => (c.Name, c.State)), read.Select(c => (c.Name, c.State)));
        Assert.Equal(FleetClusterState.Healthy, read.Single(c => c.Name == "c130").State);

        await SaveAsync(writer, run, head.Commit + 1);
        Assert.Equal(5, _storage.Writes); // nothing changed: only the head is saved
    }

    [Fact]
    public async Task Shards_written_for_a_save_whose_head_was_lost_are_not_read()
    {
        var run = Run(1, 200);
        var writer = Shards();
        var saved = await SaveAsync(writer, run, 1);

        // The silo is lost after the shards of save 2 were written, before its head.
        await writer.WriteAsync(Finish(Finish(run, "c001"), "c199"), 2);

        var read = await Shards().ReadAsync(saved, run.Run);
        Assert.All(read, c => Assert.Equal(FleetClusterState.Pending, c.State));
        var second = await Shards().ReadAsync(Head(writer, 2), run.Run);
        Assert.Equal(FleetClusterState.Healthy, second.Single(c => c.Name == "c001").State);
        Assert.Equal(FleetClusterState.Healthy, second.Single(c => c.Name == "c199").State);
    }

    [Fact]
    public async Task After_a_failed_shard_write_the_last_save_stays_readable_and_the_next_save_completes()
    {
        var run = Run(1, 130);
        var writer = Shards();
        var saved = await SaveAsync(writer, run, 1);
        run = Finish(Finish(run, "c000"), "c100");

        _storage.FailWritesOf = ".run.1.";
        await Assert.ThrowsAsync<IOException>(() => writer.WriteAsync(run, 2));
        Assert.All(await Shards().ReadAsync(saved, run.Run), c => Assert.Equal(FleetClusterState.Pending, c.State));

        _storage.FailWritesOf = null;
        var head = await SaveAsync(writer, run, 3);
        var read = await Shards().ReadAsync(head, run.Run);
        Assert.Equal([FleetClusterState.Healthy, FleetClusterState.Healthy], read.Where(c => c.Name is "c000" or "c100").Select(c => c.State));
    }

    [Fact]
    public async Task A_new_run_never_reads_or_disturbs_the_slots_of_the_saved_one_before_its_head_is_saved()
    {
        var writer = Shards();
        var first = await SaveAsync(writer, Finish(Run(1, 200), "c050"), 1);

        var second = Run(2, 70);
        await writer.WriteAsync(second, 2); // lost before its head

        var read = await Shards().ReadAsync(first, 1);
        Assert.Equal(200, read.Count);
        Assert.Equal(FleetClusterState.Healthy, read.Single(c => c.Name == "c050").State);

        var head = await SaveAsync(writer, second, 3);
        Assert.NotEqual(first.RunId, head.RunId);
        var secondRead = await Shards().ReadAsync(head, 2);
        Assert.Equal(70, secondRead.Count);
        Assert.All(secondRead, c => Assert.Equal(FleetClusterState.Pending, c.State));
        Assert.Equal((2, 4), (head.RunShards, head.ShardSlots)); // the first run's four shards stay to be cleared
    }

    [Fact]
    public async Task A_head_naming_a_missing_shard_is_refused_and_clearing_removes_every_slot()
    {
        var writer = Shards();
        var head = await SaveAsync(writer, Run(1, 150), 1);

        await writer.ClearAsync();

        Assert.Empty(_storage.Slots);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Shards().ReadAsync(head, 1));
        Assert.Contains("shard 0 of run 1", error.Message);
    }

    private FleetRunShards Shards() => new(_storage, Grain, "fleetRollout");

    private static async Task<FleetRolloutGrainState> SaveAsync(FleetRunShards shards, FleetRunState run, long commit)
    {
        await shards.WriteAsync(run, commit);
        shards.Saved();
        return Head(shards, commit);
    }

    private static FleetRolloutGrainState Head(FleetRunShards shards, long commit) =>
        new() { Commit = commit, RunId = shards.RunId, RunShards = shards.Count, ShardSlots = shards.ShardSlots };

    private static FleetRunState Run(int number, int clusters)
    {
        var names = Enumerable.Range(0, clusters).Select(i => $"c{i:000}").ToList();
        return FleetRunState.Start(number, new FleetPlan([new PlannedWave("all", names, 10, TimeSpan.Zero, false, 0)], int.MaxValue), Now);
    }

    private static FleetRunState Finish(FleetRunState run, string cluster) =>
        run.WithCluster(run.Cluster(cluster) with { State = FleetClusterState.Healthy, FinishedAt = Now });

    /// <summary>Grain storage of shard slots, with ETags as a real store checks them and writes that can be made to fail.</summary>
    private sealed class SlotStorage : IGrainStorage
    {
        public readonly Dictionary<string, (FleetRunShardState State, string ETag)> Slots = [];
        public int Writes { get; private set; }
        public string? FailWritesOf { get; set; }

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (Slots.TryGetValue(stateName, out var saved))
                (grainState.State, grainState.ETag, grainState.RecordExists) = ((T)(object)Copy(saved.State), saved.ETag, true);
            else
                (grainState.State, grainState.ETag, grainState.RecordExists) = (Activator.CreateInstance<T>(), null, false);
            return Task.CompletedTask;
        }

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (FailWritesOf is { } failing && stateName.Contains(failing, StringComparison.Ordinal)) throw new IOException($"storage refused {stateName}");
            if (Slots.GetValueOrDefault(stateName).ETag != grainState.ETag) throw new InconsistentStateException($"ETag mismatch on {stateName}");
            var etag = Guid.NewGuid().ToString("N");
            Slots[stateName] = (Copy((FleetRunShardState)(object)grainState.State!), etag);
            (grainState.ETag, grainState.RecordExists) = (etag, true);
            Writes++;
            return Task.CompletedTask;
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            Slots.Remove(stateName);
            (grainState.ETag, grainState.RecordExists) = (null, false);
            return Task.CompletedTask;
        }

        private static FleetRunShardState Copy(FleetRunShardState s) => new() { RunId = s.RunId, Commit = s.Commit, ClustersJson = s.ClustersJson };
    }
}
