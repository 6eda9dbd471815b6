namespace Coordinator.Benchmarks.Fleet;

/// <summary>
/// The run as KubeSim saw it, per wave: when its clusters were started (first Deployment spec write) and became Healthy
/// (the Rollout's status written Healthy on the new revision). Wave decision latency: the wave's last cluster Healthy to
/// the next wave's first cluster written. Slot latency: within a wave held at maxParallel, a cluster Healthy to the next
/// cluster written (the i-th Healthy frees the slot of the (maxParallel + i)-th start).
/// </summary>
internal sealed record WaveTimings(string Name, int Clusters, int MaxParallel, double FirstWrittenMs, double LastHealthyMs, IReadOnlyList<double> SlotLatenciesMs,
    IReadOnlyList<double> UpdateMs)
{
    public static IReadOnlyList<WaveTimings> From(FleetKubeSimReport report, IReadOnlyList<IReadOnlyList<string>> waves, IReadOnlyList<string> names,
        Func<int, int> maxParallel)
    {
        var byName = report.Clusters.ToDictionary(c => c.Cluster);
        var result = new List<WaveTimings>();
        for (var w = 0; w < waves.Count; w++)
        {
            var times = waves[w].Select(c => byName[c]).ToList();
            var missing = times.Where(t => t.DeploymentWrittenMs is null || t.HealthyMs is null).Select(t => t.Cluster).Take(5).ToList();
            if (missing.Count > 0) throw new InvalidOperationException($"wave {names[w]}: not started or not Healthy in KubeSim: {string.Join(", ", missing)}...");
            var written = times.Select(t => t.DeploymentWrittenMs!.Value).Order().ToList();
            var healthy = times.Select(t => t.HealthyMs!.Value).Order().ToList();
            var parallel = maxParallel(times.Count);
            var slots = Enumerable.Range(0, Math.Max(0, written.Count - parallel)).Select(i => written[parallel + i] - healthy[i]).ToList();
            // Each cluster's own update: its Deployment written to its Rollout Healthy on the change.
            var updates = times.Select(t => t.HealthyMs!.Value - t.DeploymentWrittenMs!.Value).ToList();
            result.Add(new WaveTimings(names[w], times.Count, parallel, written[0], healthy[^1], slots, updates));
        }
        return result;
    }

    /// <summary>Between consecutive waves: the last Healthy of one to the first write of the next.</summary>
    public static IReadOnlyList<double> DecisionLatencies(IReadOnlyList<WaveTimings> waves) =>
        [.. waves.Zip(waves.Skip(1), (a, b) => b.FirstWrittenMs - a.LastHealthyMs)];
}
