using Coordinator.Abstractions;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// The share of requests each image gets, as the demo prints it (<c>blue 95 % yellow 5 %</c>), computed from the same
/// snapshot as the rest of the line: its weight and images. A live read of the cluster's traffic next to a snapshot
/// could disagree with it (<c>Paused step 5/7 weight 80 traffic: yellow 100 %</c>, the cluster having moved on since).
/// </summary>
internal static class DemoTraffic
{
    /// <summary>A fleet cluster's line: <paramref name="stableImage"/> is what the cluster served before the run.</summary>
    public static string Of(FleetClusterStatus cluster, string stableImage, string newImage) => cluster.State switch
    {
        "Healthy" => Shares((newImage, 100)),
        "Pending" or "Skipped" or "Reverted" => Shares((stableImage, 100)),
        _ => Shares((stableImage, 100 - cluster.Weight), (newImage, cluster.Weight)),
    };

    /// <summary>A rollout's line: the canary ReplicaSet's image gets the weight, the stable one the rest.</summary>
    public static string Of(RolloutSnapshot rollout)
    {
        var stable = rollout.ReplicaSets.FirstOrDefault(rs => rs.Roles.Contains("stable"))?.Images.FirstOrDefault();
        var canary = rollout.ReplicaSets.FirstOrDefault(rs => rs.Roles.Contains("canary"))?.Images.FirstOrDefault();
        if (stable is null) return canary is null ? "" : Shares((canary, 100));
        if (canary is null || canary == stable) return Shares((stable, 100));
        return Shares((stable, 100 - rollout.ActualWeight), (canary, rollout.ActualWeight));
    }

    private static string Shares(params (string Image, int Percent)[] shares) =>
        string.Join(" ", shares
            .Where(s => s.Percent > 0)
            .GroupBy(s => Tag(s.Image), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {g.Sum(s => s.Percent)} %"));

    /// <summary><c>argoproj/rollouts-demo:yellow</c> → <c>yellow</c>.</summary>
    private static string Tag(string image) => image[(image.LastIndexOf(':') + 1)..];
}
