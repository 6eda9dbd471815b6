using Coordinator.Grpc.V1;

namespace Coordinator.Cli.Rendering.Fleet;

/// <summary>The <c>fleet list</c> table: one row per FleetRollout.</summary>
public static class FleetListRenderer
{
    public static string Render(IEnumerable<FleetRolloutReply> fleets, DateTimeOffset now) =>
        TableRenderer.Render(["NAME", "PHASE", "RUN", "WAVE", "HEALTHY", "AGE"], fleets.Select(f => (IReadOnlyList<string>)
        [
            f.Name, FleetIcons.State(f.Phase), f.Run.ToString(), CurrentWave(f),
            $"{f.Waves.Sum(FleetStatusRenderer.Healthy)}/{f.Waves.Sum(w => w.Clusters.Count)}",
            AgeFormatter.Age(f.StartedAt, now),
        ]));

    /// <summary>The first wave not yet done; the last wave once all are; <c>-</c> without waves.</summary>
    public static string CurrentWave(FleetRolloutReply f) =>
        (f.Waves.FirstOrDefault(w => w.State is not (FleetIcons.Completed or "Skipped")) ?? f.Waves.LastOrDefault())?.Name ?? "-";
}
