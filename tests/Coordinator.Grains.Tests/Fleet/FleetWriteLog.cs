using Coordinator.Grains.Tests.Infrastructure;

namespace Coordinator.Grains.Tests.Fleet;

/// <summary>One moment in a fleet's life as the clusters saw it: a cluster's Deployment got the change, or its Rollout finished.</summary>
public sealed record FleetWrite(long Sequence, string Cluster, string What)
{
    public override string ToString() => $"{Sequence} {Cluster}: {What}";
}

/// <summary>
/// Watches the simulated clusters' commits (<c>SimCluster.Committed</c>, under each cluster's lock) and orders, across all
/// clusters, the moments a Deployment's image changed and the moments its Rollout was done with it (stable Service on the
/// new revision and the VirtualService back at 100/0). Independent of what the fleet grain says about itself.
/// </summary>
public sealed class FleetWriteLog : IDisposable
{
    public const string Started = "started";
    public const string Done = "done";

    private readonly List<(TestCluster Cluster, Action<KubeSim.Hosting.CommittedChange> Handler)> _subscriptions = [];
    private readonly List<FleetWrite> _writes = [];
    private readonly object _gate = new();
    private long _sequence;

    public FleetWriteLog(IEnumerable<TestCluster> clusters)
    {
        foreach (var cluster in clusters)
        {
            var image = cluster.DeploymentImage();
            var stable = cluster.SelectorHash(TestCluster.StableService);
            var started = false;
            void OnCommit(KubeSim.Hosting.CommittedChange change)
            {
                var now = cluster.DeploymentImage();
                if (now != image)
                {
                    Record(cluster.Name, $"{Started} {now}");
                    (image, started) = (now, true);
                }
                var selector = cluster.SelectorHash(TestCluster.StableService);
                if (started && selector != stable && cluster.Weights() == (100, 0))
                {
                    Record(cluster.Name, $"{Done} {now}");
                    (stable, started) = (selector, false);
                }
            }
            cluster.Sim.Committed += OnCommit;
            _subscriptions.Add((cluster, OnCommit));
        }
    }

    public IReadOnlyList<FleetWrite> Writes
    {
        get { lock (_gate) return _writes.ToList(); }
    }

    /// <summary>The sequence number at which <paramref name="cluster"/> first did <paramref name="what"/> (null: never).</summary>
    public long? First(string cluster, string what) => Writes.FirstOrDefault(w => w.Cluster == cluster && w.What.StartsWith(what, StringComparison.Ordinal))?.Sequence;

    /// <summary>The most clusters of <paramref name="wave"/> started and not yet done at any one moment.</summary>
    public int MostInProgress(IReadOnlyCollection<string> wave)
    {
        var (current, most) = (0, 0);
        foreach (var write in Writes.Where(w => wave.Contains(w.Cluster)))
        {
            current += write.What.StartsWith(Started, StringComparison.Ordinal) ? 1 : -1;
            most = Math.Max(most, current);
        }
        return most;
    }

    public override string ToString() => string.Join("\n", Writes);

    public void Dispose()
    {
        foreach (var (cluster, handler) in _subscriptions) cluster.Sim.Committed -= handler;
    }

    private void Record(string cluster, string what)
    {
        lock (_gate) _writes.Add(new FleetWrite(++_sequence, cluster, what));
    }
}
