using System.Globalization;
namespace Coordinator.Benchmarks.Fleet;

/// <summary>
/// The benchmark fleet: clusters c00000.. labelled region (three regions in turn), tier web; and the three waves of its
/// FleetRollout: canary (the first 1 % of the clusters, by name), europe (selector region=europe-west1), rest (everything
/// else), each with the same maxParallel. Warm-up clusters w00000.. (tier warmup) are outside the measured fleet: a
/// small fleet run over them brings the silo's code to its optimized tier before the measured run.
/// </summary>
internal static class FleetLayout
{
    public static readonly string[] Regions = ["europe-west1", "us-east1", "asia-east1"];

    public static string ClusterName(int index) => "c" + index.ToString("D5", CultureInfo.InvariantCulture);

    public const string MeasuredTier = "web";
    public const string WarmupTier = "warmup";

    public static string WarmupClusterName(int index) => "w" + index.ToString("D5", CultureInfo.InvariantCulture);

    public static Dictionary<string, string> Labels(int index, string tier = MeasuredTier) => new()
    {
        ["region"] = Regions[index % Regions.Length],
        ["tier"] = tier,
    };

    /// <summary>Labels of a cluster by its name (measured or warm-up).</summary>
    public static Dictionary<string, string> Labels(string name) =>
        Labels(int.Parse(name.AsSpan(1), NumberStyles.Integer, CultureInfo.InvariantCulture), name[0] == 'w' ? WarmupTier : MeasuredTier);

    public static int CanaryCount(int clusters) => Math.Max(1, clusters / 100);

    /// <summary>The waves' clusters as the FleetRollout resolves them: the first wave that selects a cluster takes it.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Resolve(int clusters)
    {
        var canary = Enumerable.Range(0, CanaryCount(clusters)).ToHashSet();
        var europe = Enumerable.Range(0, clusters).Where(i => !canary.Contains(i) && i % Regions.Length == 0).ToHashSet();
        var rest = Enumerable.Range(0, clusters).Where(i => !canary.Contains(i) && !europe.Contains(i));
        return [.. new[] { canary.Order(), europe.Order(), rest }.Select(w => (IReadOnlyList<string>)[.. w.Select(ClusterName)])];
    }
}
