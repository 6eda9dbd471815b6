using System.Collections.Concurrent;

namespace Coordinator.Grains.Tests.Infrastructure;

/// <summary>
/// The reminder table's writes, by grain: a reminder registration is a storage write, and the Rollouts keep them to
/// the minimum (a failover used to spend most of its storage traffic on them).
/// </summary>
public sealed class ReminderWrites
{
    private readonly ConcurrentQueue<(GrainId Grain, DateTime StartAt)> _upserts = new();

    /// <summary>When each reminder registration of <paramref name="grain"/> asked its reminder to tick first (UTC), in order.</summary>
    public IReadOnlyList<DateTime> Of(GrainId grain) => _upserts.Where(u => u.Grain == grain).Select(u => u.StartAt).ToList();

    internal void Record(ReminderEntry entry) => _upserts.Enqueue((entry.GrainId, entry.StartAt));
}

/// <summary>The silo's reminder table, with every write counted in <see cref="ReminderWrites"/>.</summary>
internal sealed class CountingReminderTable(IReminderTable inner, ReminderWrites writes) : IReminderTable
{
    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public Task<ReminderTableData> ReadRows(GrainId grainId) => inner.ReadRows(grainId);

    public Task<ReminderTableData> ReadRows(GrainId grainId, CancellationToken cancellationToken) => inner.ReadRows(grainId, cancellationToken);

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => inner.ReadRows(begin, end);

    public Task<ReminderTableData> ReadRows(uint begin, uint end, CancellationToken cancellationToken) => inner.ReadRows(begin, end, cancellationToken);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => inner.ReadRow(grainId, reminderName);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName, CancellationToken cancellationToken) =>
        inner.ReadRow(grainId, reminderName, cancellationToken);

    public Task<string?> UpsertRow(ReminderEntry entry)
    {
        writes.Record(entry);
        return inner.UpsertRow(entry);
    }

    public Task<string?> UpsertRow(ReminderEntry entry, CancellationToken cancellationToken)
    {
        writes.Record(entry);
        return inner.UpsertRow(entry, cancellationToken);
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) => inner.RemoveRow(grainId, reminderName, eTag);

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken) =>
        inner.RemoveRow(grainId, reminderName, eTag, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => inner.StopAsync(cancellationToken);

    public Task TestOnlyClearTable() => inner.TestOnlyClearTable();
}
