using System.Diagnostics;
using Coordinator.Abstractions;
using Coordinator.Benchmarks.Fleet;
using static Coordinator.Benchmarks.BenchmarkSupport;

namespace Coordinator.Benchmarks.Rollouts;

/// <summary>
/// Issue 12's soak: the same rollouts updated again and again (the image flips between two colours) for a while. After
/// a warm-up (the first quarter of the rounds, at least one), the silo's live managed memory, measured after a full
/// collection at the end of every round, must stay flat (slope of a least-squares line), and its open file descriptors
/// (sockets included) must not grow.
/// </summary>
internal static class RolloutSoak
{
    /// <summary>Growth of live memory after warm-up that still counts as flat.</summary>
    private const double FlatMiBPerMinute = 1.0;

    /// <summary>Descriptors that may come and go (pooled connections, Azurite-free: all loopback to KubeSim).</summary>
    private const int DescriptorSlack = 16;

    private static readonly string[] Images = ["argoproj/rollouts-demo:blue", "argoproj/rollouts-demo:yellow"];

    public static async Task RunAsync(
        RolloutFleet fleet, IReadOnlyList<(FleetCluster Cluster, string Namespace)> targets, TimeSpan duration, TimeSpan timeout,
        int revision,
        Func<RolloutFleet, IReadOnlyList<(FleetCluster Cluster, string Namespace)>, TimeSpan, string, Func<(FleetCluster Cluster, string Namespace), RolloutSnapshot, Task<bool>>, Task> waitForAll)
    {
        Log($"soak: updating {targets.Count} rollouts again and again for {duration.TotalMinutes:0.#} min");
        var clock = Stopwatch.StartNew();
        var samples = new List<(double Minutes, double LiveMiB, double WorkingSetMiB, int Descriptors, int Sockets)>();
        var round = 0;
        while (clock.Elapsed < duration)
        {
            var image = Images[round % Images.Length];
            revision++;
            await ForEachAsync(targets, 64, t => t.Cluster.SetImageAsync(t.Namespace, image));
            var expected = revision;
            await waitForAll(fleet, targets, timeout, $"round {round + 1}: revision {expected} healthy",
                (_, s) => Task.FromResult(s.Phase == "Healthy" && s.Revision == expected && s.StableHash == s.CurrentPodHash));
            var memory = SiloMemory.Measure();
            var (descriptors, sockets) = Descriptors();
            samples.Add((clock.Elapsed.TotalMinutes, SiloMemory.MiB(memory.ManagedLiveBytes), SiloMemory.MiB(memory.WorkingSetBytes), descriptors, sockets));
            Log($"soak round {round + 1} ({clock.Elapsed.TotalSeconds:0} s): live {samples[^1].LiveMiB} MiB, working set {samples[^1].WorkingSetMiB} MiB, {descriptors} fds ({sockets} sockets)");
            round++;
        }

        var warm = samples.Skip(Math.Max(1, samples.Count / 4)).ToList();
        var slope = Slope(warm.Select(s => (s.Minutes, s.LiveMiB)).ToList());
        var descriptorGrowth = warm.Count > 0 ? warm[^1].Descriptors - warm[0].Descriptors : 0;
        var flat = warm.Count >= 2 && slope <= FlatMiBPerMinute;
        var noLeak = descriptorGrowth <= DescriptorSlack;
        Emit(new
        {
            benchmark = "rollouts", measurement = "soak", rollouts = targets.Count, rounds = samples.Count,
            minutes = Math.Round(clock.Elapsed.TotalMinutes, 1), warm_up_rounds = samples.Count - warm.Count,
            live_mib_per_minute = Math.Round(slope, 3), target_live_mib_per_minute = FlatMiBPerMinute, memory_flat = flat,
            descriptors_growth = descriptorGrowth, target_descriptors_growth = DescriptorSlack, no_descriptor_leak = noLeak,
            pass = flat && noLeak,
            samples = samples.Select(s => new { minute = Math.Round(s.Minutes, 2), live_mib = s.LiveMiB, working_set_mib = s.WorkingSetMiB, fds = s.Descriptors, sockets = s.Sockets }),
        });
        Log($"soak: {samples.Count} rounds; after warm-up live memory {slope:+0.000;-0.000} MiB/min (target <= {FlatMiBPerMinute}: {(flat ? "met" : "NOT met")}), " +
            $"descriptors {descriptorGrowth:+0;-0} (target <= {DescriptorSlack}: {(noLeak ? "met" : "NOT met")})");
    }

    /// <summary>This process's open file descriptors and, of those, sockets (Linux; zero elsewhere).</summary>
    private static (int All, int Sockets) Descriptors()
    {
        const string fds = "/proc/self/fd";
        if (!Directory.Exists(fds)) return (0, 0);
        var all = 0;
        var sockets = 0;
        foreach (var fd in Directory.EnumerateFileSystemEntries(fds))
        {
            all++;
            try
            {
                if (new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true) sockets++;
            }
            catch (IOException)
            {
                // closed while listed
            }
        }
        return (all, sockets);
    }

    /// <summary>Least-squares slope of y over x.</summary>
    private static double Slope(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Count < 2) return double.NaN;
        var (mx, my) = (points.Average(p => p.X), points.Average(p => p.Y));
        var denominator = points.Sum(p => (p.X - mx) * (p.X - mx));
        return denominator == 0 ? double.NaN : points.Sum(p => (p.X - mx) * (p.Y - my)) / denominator;
    }
}
