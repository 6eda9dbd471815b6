using System.Diagnostics;
using Coordinator.KubeSim.Hosting;

namespace Coordinator.Benchmarks.Fleet;

/// <summary>
/// KubeSim's own record of a fleet run, taken in the KubeSim process from every cluster's commit stream: when the
/// rollout's Deployment (namespace test) got its first spec write after <see cref="Mark"/> (the fleet starting that
/// cluster), and when the rollout's status (its owner ConfigMap) first showed Healthy on a revision above the one it
/// had at the mark, with the last VirtualService write before it. Times are milliseconds since the mark, on KubeSim's clock.
/// </summary>
internal sealed class FleetCommitLog
{
    public const string Namespace = "test";
    private const string Deployment = "rollouts-demo";
    private const string OwnerConfigMap = "rollouts-demo.rollout";

    private readonly IReadOnlyList<SimCluster> _clusters;
    private readonly ClusterTimes[] _times;
    private long _markedAt;
    private volatile bool _recording;

    public FleetCommitLog(IReadOnlyList<SimCluster> clusters)
    {
        _clusters = clusters;
        _times = new ClusterTimes[clusters.Count];
        for (var i = 0; i < clusters.Count; i++)
        {
            var index = i;
            _times[i] = new ClusterTimes();
            clusters[i].Committed += change => OnCommitted(index, change);
        }
    }

    /// <summary>Starts (or restarts) recording: from now on the first Deployment spec write and the Healthy status count.</summary>
    public void Mark()
    {
        for (var i = 0; i < _clusters.Count; i++)
        {
            var cluster = _clusters[i];
            var deployment = cluster.Get("deployments", Namespace, Deployment);
            var owner = cluster.Get("configmaps", Namespace, OwnerConfigMap);
            _times[i] = new ClusterTimes
            {
                GenerationAtMark = deployment?["metadata"]?["generation"]?.GetValue<long>() ?? 0,
                RevisionAtMark = int.TryParse((string?)owner?["data"]?["revision"], out var r) ? r : 0,
            };
        }
        _markedAt = Stopwatch.GetTimestamp();
        _recording = true;
    }

    public IReadOnlyList<FleetClusterTimes> Report() =>
        [.. _clusters.Select((c, i) => new FleetClusterTimes(c.Name, _times[i].DeploymentWrittenMs, _times[i].HealthyMs, _times[i].LastVirtualServiceMs))];

    /// <summary>Runs under the cluster's lock, synchronously with the commit: cheap checks first, one read at most.</summary>
    private void OnCommitted(int index, CommittedChange change)
    {
        if (!_recording || change.Namespace != Namespace) return;
        var times = _times[index];
        var cluster = _clusters[index];
        switch (change.Resource)
        {
            case "deployments" when times.DeploymentWrittenMs is null && change.Name == Deployment:
                if (cluster.Get("deployments", Namespace, Deployment)?["metadata"]?["generation"]?.GetValue<long>() > times.GenerationAtMark)
                    times.DeploymentWrittenMs = SinceMark();
                break;
            case "virtualservices" when times.HealthyMs is null:
                times.LastVirtualServiceMs = SinceMark();
                break;
            case "configmaps" when times.HealthyMs is null && times.DeploymentWrittenMs is not null && change.Name == OwnerConfigMap:
                var data = cluster.Get("configmaps", Namespace, OwnerConfigMap)?["data"];
                if ((string?)data?["phase"] == "Healthy" && int.TryParse((string?)data?["revision"], out var revision) && revision > times.RevisionAtMark)
                    times.HealthyMs = SinceMark();
                break;
        }
    }

    private double SinceMark() => Stopwatch.GetElapsedTime(_markedAt).TotalMilliseconds;

    private sealed class ClusterTimes
    {
        public long GenerationAtMark { get; init; }
        public int RevisionAtMark { get; init; }
        public double? DeploymentWrittenMs { get; set; }
        public double? HealthyMs { get; set; }
        public double? LastVirtualServiceMs { get; set; }
    }
}

/// <summary>One cluster's times in a fleet run, in milliseconds since the mark (null: did not happen).</summary>
internal sealed record FleetClusterTimes(string Cluster, double? DeploymentWrittenMs, double? HealthyMs, double? LastVirtualServiceMs);
