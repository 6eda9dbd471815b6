using System.Globalization;
using Coordinator.Abstractions;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// Prints a fleet run as the demo shows it: one line per cluster change (time, wave, cluster, state, step, weight and the
/// traffic each image gets), e.g. <c>12:00:05  wave staging  cluster staging  Progressing step 1/7  weight   5  traffic: blue 95 % yellow 5 %</c>,
/// and the run's why-waiting line whenever it changes. Every part of a line comes from the one snapshot it prints:
/// the traffic is the snapshot's weight over the images, never a live read of the cluster.
/// </summary>
/// <param name="stableImages">What each cluster served before the run (its rollout's stable image).</param>
internal sealed class DemoFleetPrinter(TextWriter output, IReadOnlyDictionary<string, string> stableImages, string newImage)
{
    private readonly Dictionary<string, (string State, int? Step, int Weight, string Phase)> _shown = new(StringComparer.Ordinal);
    private string _message = "";

    public void Show(FleetSnapshot snapshot)
    {
        foreach (var wave in snapshot.Waves)
            foreach (var cluster in wave.Clusters)
            {
                // A change of any of these is worth a line; the Rollout's phase tells Paused from Progressing.
                var shown = (cluster.State, cluster.Step, cluster.Weight, cluster.RolloutPhase);
                if (_shown.TryGetValue(cluster.Cluster, out var last) && last == shown) continue;
                _shown[cluster.Cluster] = shown;
                var stable = stableImages.TryGetValue(cluster.Cluster, out var image) ? image : newImage;
                output.WriteLine(Line(DateTimeOffset.Now, wave.Name, cluster, DemoTraffic.Of(cluster, stable, newImage)));
            }
        if (snapshot.Message == _message) return;
        _message = snapshot.Message;
        output.WriteLine($"          fleet {snapshot.Phase}: {snapshot.Message}");
    }

    public static string Line(DateTimeOffset now, string wave, FleetClusterStatus c, string traffic)
    {
        var step = c.Step is { } i ? $"{i}/{c.StepCount}" : "-";
        var time = now.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        return $"{time}  wave {wave,-8} cluster {c.Cluster,-8} {c.State,-11} step {step,-4} weight {c.Weight,3}  traffic: {traffic}";
    }
}
