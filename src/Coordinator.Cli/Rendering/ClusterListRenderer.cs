using Coordinator.Grpc.V1;

namespace Coordinator.Cli.Rendering;

/// <summary>The <c>clusters</c> table; an ERROR column appears when some cluster has an error.</summary>
public static class ClusterListRenderer
{
    public static string Render(IReadOnlyList<Cluster> clusters)
    {
        var withError = clusters.Any(c => !string.IsNullOrEmpty(c.Error));
        List<string> headers = ["NAME", "REACHABLE", "VERSION", "LABELS", "SERVER"];
        if (withError)
            headers.Add("ERROR");
        var rows = clusters.Select(c =>
        {
            var labels = c.Labels.Count == 0
                ? "<none>"
                : string.Join(",", c.Labels.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));
            List<string> row = [c.Name, c.Reachable ? "true" : "false", Dash(c.Version), labels, Dash(c.Server)];
            if (withError)
                row.Add(Dash(c.Error));
            return (IReadOnlyList<string>)row;
        });
        return TableRenderer.Render(headers, rows);
    }

    private static string Dash(string value) => string.IsNullOrEmpty(value) ? "-" : value;
}
