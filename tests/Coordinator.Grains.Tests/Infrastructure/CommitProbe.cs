using Coordinator.KubeSim.Hosting;

namespace Coordinator.Grains.Tests.Infrastructure;

/// <summary>One value a probe read at a committed change, with the wall-clock time it was committed.</summary>
public sealed record ProbeEntry(long ResourceVersion, DateTimeOffset At, string Probe, string Value)
{
    public override string ToString() => $"{ResourceVersion} {At:HH:mm:ss.fff} {Probe}: {Value}";
}

/// <summary>
/// Evaluates named probes of a simulated cluster at every committed change (through <see cref="SimCluster.Committed"/>,
/// under the cluster's lock), and records each value change. Unlike watches or polling, nothing can happen between two
/// readings: an invariant checked here holds at every moment a client could have observed.
/// </summary>
public sealed class CommitProbe : IDisposable
{
    private readonly SimCluster _sim;
    private readonly (string Name, Func<string> Read)[] _probes;
    private readonly Dictionary<string, string> _last = [];
    private readonly List<ProbeEntry> _entries = [];
    private readonly object _gate = new();
    private Exception? _failure;

    public CommitProbe(SimCluster sim, params (string Name, Func<string> Read)[] probes)
    {
        _sim = sim;
        _probes = probes;
        Record(sim.ResourceVersion);
        sim.Committed += OnCommitted;
    }

    public IReadOnlyList<ProbeEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                if (_failure is not null) throw new InvalidOperationException("a probe failed", _failure);
                return _entries.ToList();
            }
        }
    }

    /// <summary>The successive values of one probe.</summary>
    public IReadOnlyList<string> ValuesOf(string probe) => Entries.Where(e => e.Probe == probe).Select(e => e.Value).ToList();

    /// <summary>The first entry of <paramref name="probe"/> whose value satisfies <paramref name="predicate"/>.</summary>
    public ProbeEntry First(string probe, Func<string, bool> predicate, string what) =>
        Entries.FirstOrDefault(e => e.Probe == probe && predicate(e.Value))
        ?? throw new Xunit.Sdk.XunitException($"{probe} never became {what}:\n{this}");

    public override string ToString() => string.Join("\n", Entries);

    public void Dispose() => _sim.Committed -= OnCommitted;

    private void OnCommitted(CommittedChange change) => Record(change.ResourceVersion);

    private void Record(long resourceVersion)
    {
        // Read first, record after: in a handler the reads run under the cluster's lock, and taking our own lock around
        // them would order the two locks differently from the constructor's first reading.
        var at = DateTimeOffset.UtcNow;
        var values = new List<(string Name, string Value)>();
        Exception? failure = null;
        foreach (var (name, read) in _probes)
        {
            try
            {
                values.Add((name, read()));
            }
            catch (Exception ex)
            {
                failure ??= ex; // a handler must not throw into the store: surface it on the next read instead
            }
        }

        lock (_gate)
        {
            _failure ??= failure;
            foreach (var (name, value) in values)
            {
                if (_last.TryGetValue(name, out var previous) && previous == value) continue;
                _last[name] = value;
                _entries.Add(new ProbeEntry(resourceVersion, at, name, value));
            }
        }
    }
}
