using System.Runtime.CompilerServices;
using Coordinator.Domain.Fleet;
using Coordinator.Grains.Rollouts;

namespace Coordinator.Grains.Fleet;

/// <summary>
/// The run state's persisted JSON, exactly as <see cref="StateJson"/> writes it, built without serializing every cluster
/// on every save: a pass changes a few clusters of thousands (a 10,000-cluster run is ~1 MB of JSON, and serializing it
/// whole on every pass was most of a pass's time), and cluster records are immutable, so each one's JSON is kept with it.
/// </summary>
internal static class FleetRunJson
{
    private const string EmptyClusters = "\"clusters\":[]";

    private static readonly ConditionalWeakTable<FleetClusterRun, string> ClusterJson = new();

    public static string Serialize(FleetRunState run)
    {
        // Every other field is small: serialized as usual, with an empty cluster list to splice the clusters into.
        var head = StateJson.Serialize(run with { Clusters = [] });
        // A JSON string cannot hold an unescaped quote, so this literal is the property itself, not text inside a value.
        var at = head.IndexOf(EmptyClusters, StringComparison.Ordinal);
        if (at < 0) throw new InvalidOperationException("the run state's JSON has no clusters property");
        var clusters = new string[run.Clusters.Count];
        var length = head.Length + Math.Max(0, clusters.Length - 1);
        for (var i = 0; i < clusters.Length; i++)
            length += (clusters[i] = ClusterJson.GetValue(run.Clusters[i], StateJson.Serialize<FleetClusterRun>)).Length;
        // Written straight into the result: a builder's buffer was one more copy of the whole run on every save.
        var split = at + EmptyClusters.Length - 1;
        return string.Create(length, (head, split, clusters), static (into, parts) =>
        {
            var (head, split, clusters) = parts;
            head.AsSpan(0, split).CopyTo(into);
            var written = split;
            for (var i = 0; i < clusters.Length; i++)
            {
                if (i > 0) into[written++] = ',';
                clusters[i].CopyTo(into[written..]);
                written += clusters[i].Length;
            }
            head.AsSpan(split).CopyTo(into[written..]);
        });
    }
}
