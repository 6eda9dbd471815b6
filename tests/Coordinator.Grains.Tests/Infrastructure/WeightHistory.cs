using System.Diagnostics;

namespace Coordinator.Grains.Tests.Infrastructure;

/// <summary>One distinct VirtualService state of a cluster and when it was committed.</summary>
public sealed record WeightWrite(TimeSpan At, int Stable, int Canary)
{
    public override string ToString() => $"{At.TotalSeconds:0.000}s {Stable}/{Canary}";
}

/// <summary>
/// The seed VirtualService's weights as the cluster committed them (<c>SimCluster.Committed</c>, under the cluster's
/// lock, so no state is missed or reordered, and no HTTP involved: faults injected into the API do not touch it),
/// with the time of each commit on a clock shared by all clusters of a test. Consecutive equal states are one entry.
/// </summary>
public sealed class WeightHistory : IDisposable
{
    private readonly TestCluster _cluster;
    private readonly Stopwatch _clock;
    private readonly List<WeightWrite> _writes = [];
    private readonly object _gate = new();

    public WeightHistory(TestCluster cluster, Stopwatch clock)
    {
        (_cluster, _clock) = (cluster, clock);
        var (stable, canary) = cluster.Weights();
        _writes.Add(new WeightWrite(clock.Elapsed, stable, canary));
        cluster.Sim.Committed += OnCommit;
    }

    public IReadOnlyList<WeightWrite> Writes
    {
        get { lock (_gate) return _writes.ToList(); }
    }

    public override string ToString() => $"{_cluster.Name}: {string.Join(" -> ", Writes)}";

    public void Dispose() => _cluster.Sim.Committed -= OnCommit;

    private void OnCommit(KubeSim.Hosting.CommittedChange change)
    {
        if (!change.Resource.StartsWith("virtualservices", StringComparison.Ordinal)) return;
        var (stable, canary) = _cluster.Weights();
        lock (_gate)
        {
            if (_writes[^1] is { } last && last.Stable == stable && last.Canary == canary) return;
            _writes.Add(new WeightWrite(_clock.Elapsed, stable, canary));
        }
    }
}
