using Coordinator.Grpc.V1;

namespace Coordinator.Cli.Rendering;

/// <summary>The outcome of a mutating command: one success line naming the clusters, one error line per failed cluster.</summary>
public sealed record ReplySummary(string Out, string Error, bool Failed)
{
    /// <param name="success">Builds the success line from the comma-separated cluster names (empty when there are none).</param>
    public static ReplySummary Render(IEnumerable<ClusterRollout> clusters, Func<string, string> success)
    {
        var list = clusters.ToList();
        var ok = list.Where(c => string.IsNullOrEmpty(c.Error)).Select(c => c.Cluster).ToList();
        var failed = list.Where(c => !string.IsNullOrEmpty(c.Error)).ToList();
        var output = ok.Count > 0 || failed.Count == 0 ? success(string.Join(", ", ok)) + "\n" : "";
        var errors = string.Concat(failed.Select(c => $"error: cluster {c.Cluster}: {c.Error}\n"));
        return new ReplySummary(output, errors, failed.Count > 0);
    }

    /// <summary>The usual shape: <c>rollout 'demo' promoted (dev, staging)</c>.</summary>
    public static ReplySummary Render(IEnumerable<ClusterRollout> clusters, string message) =>
        Render(clusters, names => names.Length == 0 ? message : $"{message} ({names})");
}
