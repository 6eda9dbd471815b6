using Coordinator.Domain.Fleet;
using Orleans.Storage;

namespace Coordinator.Grains.Fleet;

/// <summary>
/// A fleet run's clusters, saved in shards of <see cref="ClustersPerShard"/> beside the fleet's state (its head), so that a
/// save costs what changed, not the whole fleet. The run was one record before: at 10,000 clusters ~3 MB of JSON written
/// on every pass, over Azure Table's 1 MB entity limit (Orleans' table storage refuses a state above 960 KB) and a
/// large-object allocation per pass that kept the collector busy with full collections.
/// <para>
/// Saving is atomic although it writes several records: each shard has two slots; a save writes the shards that changed
/// into the slot that does not hold their last saved content, stamped with the save's number, and only then the head
/// with that number. A reader takes, per shard, the newest slot of the head's run not newer than the head's save. So a
/// silo lost between the writes leaves the run as its last complete save had it.
/// </para>
/// </summary>
internal sealed class FleetRunShards(IGrainStorage storage, GrainId grain, string stateName)
{
    /// <summary>
    /// ~300 bytes of JSON per cluster: a shard's JSON (UTF-16 in memory) stays well below the large-object heap's 85,000
    /// bytes, and its saved record far below Azure Table's 64 KB per property.
    /// </summary>
    public const int ClustersPerShard = 64;

    private sealed class Shard
    {
        public readonly GrainState<FleetRunShardState>[] Slots = [new(), new()];

        /// <summary>The slot with the content of the last saved head; -1 when none does.</summary>
        public int Saved = -1;

        /// <summary>The records the saved slot holds (records are immutable: compared by reference).</summary>
        public FleetClusterRun[]? SavedClusters;

        /// <summary>Written by the save in progress, counted once its head is saved.</summary>
        public int Pending = -1;
        public FleetClusterRun[]? PendingClusters;
    }

    private readonly List<Shard> _shards = [];
    private int _run = -1;

    /// <summary>Names the current run's slots.</summary>
    public string? RunId { get; private set; }

    /// <summary>Shards the current run's clusters fill.</summary>
    public int Count { get; private set; }

    /// <summary>The most shards any run of this fleet wrote, as far as known (the head keeps it).</summary>
    public int ShardSlots { get; private set; }

    /// <summary>
    /// The clusters of the run a head names, read from its shards. The records returned are the ones the shards keep, so
    /// the next save writes only what changed after this.
    /// </summary>
    public async Task<IReadOnlyList<FleetClusterRun>> ReadAsync(FleetRolloutGrainState head, int run)
    {
        (RunId, _run, Count, ShardSlots) = (head.RunId, run, head.RunShards, Math.Max(head.ShardSlots, head.RunShards));
        await ReadSlotsAsync(Count);
        var clusters = new List<FleetClusterRun>();
        for (var k = 0; k < Count; k++)
        {
            var shard = _shards[k];
            FleetRunShardState? newest = null;
            var saved = -1;
            for (var n = 0; n < 2; n++)
            {
                var slot = shard.Slots[n];
                if (slot is { RecordExists: true, State: { } state } && state.RunId == RunId && state.Commit <= head.Commit &&
                    (newest is null || state.Commit > newest.Commit))
                    (newest, saved) = (state, n);
            }
            if (newest is null) throw new InvalidOperationException($"shard {k} of run {run} (save {head.Commit}) is missing from storage");
            var records = FleetRunJson.ReadClusters(newest.ClustersJson ?? "[]");
            (shard.Saved, shard.SavedClusters) = (saved, [.. records]);
            clusters.AddRange(records);
        }
        foreach (var shard in _shards) foreach (var slot in shard.Slots) Forget(slot);
        return clusters;
    }

    /// <summary>
    /// Writes the shards whose clusters differ from their saved content, for save number <paramref name="commit"/>; the
    /// head that names them is saved next, then <see cref="Saved"/> called. A new run gets a new <see cref="RunId"/>, so no slot of
    /// another run is ever read as its own.
    /// </summary>
    public async Task WriteAsync(FleetRunState run, long commit)
    {
        if (run.Run != _run || RunId is null)
        {
            (RunId, _run) = (Guid.NewGuid().ToString("N"), run.Run);
            foreach (var shard in _shards) shard.SavedClusters = null; // nothing of the new run is saved yet
        }
        Count = (run.Clusters.Count + ClustersPerShard - 1) / ClustersPerShard;
        await ReadSlotsAsync(Count);
        var changed = Changed(run.Clusters);
        var writes = new List<Task>();
        for (var k = 0; k < Count; k++)
        {
            var shard = _shards[k];
            var start = k * ClustersPerShard;
            var count = Math.Min(ClustersPerShard, run.Clusters.Count - start);
            shard.Pending = -1;
            if (!changed[k]) continue;
            // Never the saved slot: until the head of this save is saved, the last save must stay readable.
            var slot = shard.Saved == 0 ? 1 : 0;
            (shard.Pending, shard.PendingClusters) = (slot, run.Clusters.Skip(start).Take(count).ToArray());
            shard.Slots[slot].State = new FleetRunShardState { RunId = RunId, Commit = commit, ClustersJson = FleetRunJson.Clusters(run.Clusters, start, count) };
            writes.Add(WriteSlotAsync(SlotName(k, slot), shard.Slots[slot]));
        }
        await Task.WhenAll(writes);
        ShardSlots = Math.Max(ShardSlots, Count);
    }

    /// <summary>The head naming the last <see cref="WriteAsync"/> was saved: what it wrote is now the saved content.</summary>
    public void Saved()
    {
        foreach (var shard in _shards)
        {
            if (shard.Pending < 0) continue;
            (shard.Saved, shard.SavedClusters) = (shard.Pending, shard.PendingClusters);
            (shard.Pending, shard.PendingClusters) = (-1, null);
        }
    }

    /// <summary>Removes every slot any run wrote (after the head, so that no saved head names a missing shard).</summary>
    public async Task ClearAsync()
    {
        await ReadSlotsAsync(ShardSlots);
        var clears = new List<Task>();
        for (var k = 0; k < ShardSlots; k++)
        {
            var shard = _shards[k];
            for (var n = 0; n < 2; n++)
                if (shard.Slots[n].RecordExists) clears.Add(storage.ClearStateAsync(SlotName(k, n), grain, shard.Slots[n]));
        }
        await Task.WhenAll(clears);
        _shards.Clear();
        (RunId, _run, Count, ShardSlots) = (null, -1, 0, 0);
    }

    /// <summary>
    /// Shards up to <paramref name="count"/>, their slots read the first time (for their ETags: a slot left by an earlier
    /// run or activation is overwritten under its ETag, never blindly).
    /// </summary>
    private async Task ReadSlotsAsync(int count)
    {
        var from = _shards.Count;
        while (_shards.Count < count) _shards.Add(new Shard());
        await Task.WhenAll(Enumerable.Range(from, Math.Max(0, count - from))
            .SelectMany(k => _shards[k].Slots.Select((slot, n) => storage.ReadStateAsync(SlotName(k, n), grain, slot))));
    }

    private async Task WriteSlotAsync(string name, GrainState<FleetRunShardState> slot)
    {
        await storage.WriteStateAsync(name, grain, slot);
        Forget(slot);
    }

    /// <summary>Keeps what choosing and overwriting a slot needs, not its clusters' JSON (the records are kept as objects).</summary>
    private static void Forget(GrainState<FleetRunShardState> slot) =>
        slot.State = new FleetRunShardState { RunId = slot.State?.RunId, Commit = slot.State?.Commit ?? 0 };

    /// <summary>
    /// Per shard, whether its clusters differ from what it last saved (by reference: a cluster that did not change is the
    /// same record). One walk over the list: indexing an immutable list of 10,000 clusters costs O(log n) per cluster.
    /// </summary>
    private bool[] Changed(IReadOnlyList<FleetClusterRun> clusters)
    {
        var changed = new bool[Count];
        for (var k = 0; k < Count; k++)
        {
            var saved = _shards[k].SavedClusters;
            changed[k] = saved is null || saved.Length != Math.Min(ClustersPerShard, clusters.Count - k * ClustersPerShard);
        }
        var i = 0;
        foreach (var cluster in clusters)
        {
            var k = i / ClustersPerShard;
            if (!changed[k] && !ReferenceEquals(_shards[k].SavedClusters![i % ClustersPerShard], cluster)) changed[k] = true;
            i++;
        }
        return changed;
    }

    private string SlotName(int shard, int slot) => $"{stateName}.run.{shard}.{(slot == 0 ? 'a' : 'b')}";
}
