using System.Runtime.CompilerServices;
using Coordinator.Domain.Fleet;
using Coordinator.Grains.Rollouts;

namespace Coordinator.Grains.Fleet;

/// <summary>
/// The run state's persisted JSON, as <see cref="StateJson"/> writes it, in the pieces it is saved in: the run without
/// its clusters, and the clusters of one shard. A pass changes a few clusters of thousands and cluster records are
/// immutable, so each record's JSON is kept with it and a shard's JSON is spliced from them, not serialized again.
/// </summary>
internal static class FleetRunJson
{
    private static readonly ConditionalWeakTable<FleetClusterRun, string> ClusterJson = new();

    /// <summary>Everything but the clusters (saved with an empty cluster list).</summary>
    public static string Head(FleetRunState run) => StateJson.Serialize(run with { Clusters = [] });

    /// <summary>The JSON array of <paramref name="count"/> clusters from <paramref name="start"/>, as StateJson writes a list of them.</summary>
    public static string Clusters(IReadOnlyList<FleetClusterRun> clusters, int start, int count)
    {
        var parts = new string[count];
        var length = 2 + Math.Max(0, count - 1);
        for (var i = 0; i < count; i++)
            length += (parts[i] = ClusterJson.GetValue(clusters[start + i], StateJson.Serialize<FleetClusterRun>)).Length;
        // Written straight into the result: a builder's buffer would be one more copy.
        return string.Create(length, parts, static (into, parts) =>
        {
            into[0] = '[';
            var written = 1;
            for (var i = 0; i < parts.Length; i++)
            {
                if (i > 0) into[written++] = ',';
                parts[i].CopyTo(into[written..]);
                written += parts[i].Length;
            }
            into[written] = ']';
        });
    }

    public static IReadOnlyList<FleetClusterRun> ReadClusters(string json) => StateJson.Deserialize<List<FleetClusterRun>>(json);
}
