using System.Threading.Channels;
using Coordinator.KubeSim.Api;

namespace Coordinator.KubeSim.Store;

/// <summary>What one watch request wants to see.</summary>
internal sealed class WatchFilter(ResourceType type, string? ns, LabelSelector? labels, FieldSelector? fields)
{
    public ResourceType Type { get; } = type;

    public bool Matches(StoredObject o) =>
        o.Type == Type && (ns == null || o.Namespace == ns) && (labels == null || labels.Matches(o.Labels))
        && (fields == null || fields.Matches(o));
}

/// <summary>A live watch: events are pushed into its channel by the committing writer, under the cluster lock.</summary>
internal sealed class Watcher(WatchFilter filter)
{
    public WatchFilter Filter { get; } = filter;
    public Channel<WatchRecord> Events { get; } = Channel.CreateUnbounded<WatchRecord>(new UnboundedChannelOptions { SingleReader = true });
}

/// <summary>
/// The bounded history of committed changes of one cluster (all types, in resourceVersion order) plus the live
/// watchers. Not thread-safe: the owning <see cref="ObjectStore"/> calls it under its lock. Allocated lazily.
/// </summary>
internal sealed class WatchHub(int historyLimit)
{
    private readonly Queue<WatchRecord> _history = new();
    private List<Watcher>? _watchers;
    private long _droppedUpTo;

    public void Publish(WatchRecord record)
    {
        _history.Enqueue(record);
        while (_history.Count > historyLimit) _droppedUpTo = _history.Dequeue().ResourceVersion;
        if (_watchers == null) return;
        foreach (var w in _watchers)
        {
            if (w.Filter.Matches(record.Object)) w.Events.Writer.TryWrite(record);
        }
    }

    /// <summary>Registers a watcher and returns the retained events after <paramref name="sinceRv"/> it must replay first.</summary>
    public Watcher Subscribe(WatchFilter filter, long sinceRv, long currentRv, List<WatchRecord> replay)
    {
        if (sinceRv < _droppedUpTo)
        {
            throw new KubeApiException(410, "Expired", $"too old resource version: {sinceRv} ({_droppedUpTo + 1})");
        }
        if (sinceRv < currentRv)
        {
            foreach (var r in _history)
            {
                if (r.ResourceVersion > sinceRv && filter.Matches(r.Object)) replay.Add(r);
            }
        }
        var watcher = new Watcher(filter);
        (_watchers ??= []).Add(watcher);
        return watcher;
    }

    /// <summary>Ends the watches of a resource that is no longer served (its CRD was deleted), as the apiserver closes them.</summary>
    public void EndWatches(ResourceType t)
    {
        if (_watchers == null) return;
        foreach (var w in _watchers.Where(w => w.Filter.Type == t).ToList())
        {
            w.Events.Writer.TryComplete();
            _watchers.Remove(w);
        }
        if (_watchers.Count == 0) _watchers = null;
    }

    public void Unsubscribe(Watcher watcher)
    {
        _watchers?.Remove(watcher);
        if (_watchers is { Count: 0 }) _watchers = null;
    }

    /// <summary>Adds the open watches, by resource (group-qualified plural), to <paramref name="byResource"/>.</summary>
    public void CountWatchers(Dictionary<string, int> byResource)
    {
        foreach (var w in _watchers ?? [])
            byResource[w.Filter.Type.GroupResource] = byResource.GetValueOrDefault(w.Filter.Type.GroupResource) + 1;
    }

    public bool IsExpired(long rv) => rv < _droppedUpTo;

    public long OldestRetained => _droppedUpTo + 1;
}
