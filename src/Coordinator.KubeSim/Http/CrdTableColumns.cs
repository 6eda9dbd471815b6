using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;

namespace Coordinator.KubeSim.Http;

/// <summary>
/// Table columns of a CRD's resource, as the apiextensions server's table convertor builds them: Name, then the version's
/// additionalPrinterColumns (a simple JSONPath: <c>.a.b[0].c</c>), or Age alone when it has none. A missing value is an
/// empty cell; <c>date</c> cells are shown as an age.
/// </summary>
internal static class CrdTableColumns
{
    private static readonly PrinterColumn DefaultAge = new("Age", "date", ".metadata.creationTimestamp", 0, "", "");

    public static IReadOnlyList<TableColumn> For(ResourceType t, string version, TableColumn nameColumn)
    {
        var printer = t.PrinterColumns != null && t.PrinterColumns.TryGetValue(version, out var c) && c.Length > 0 ? c : [DefaultAge];
        return [nameColumn, .. printer.Select(Column)];
    }

    private static TableColumn Column(PrinterColumn c) =>
        new(c.Name, c.Type, c.Priority > 0, (o, now) => Cell(c.Type, Find(o, c.JsonPath), now), c.Format);

    private static JsonNode? Cell(string type, JsonNode? value, DateTimeOffset now)
    {
        if (value == null) return null;
        if (type == "date")
        {
            return DateTimeOffset.TryParse(value.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? HumanDuration.Format(now - at)
                : "<invalid>";
        }
        if (type == "string") return value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value.ToJsonString();
        return value.DeepClone();
    }

    /// <summary>Evaluates <c>.field.field[index]</c>; anything fancier (filters, wildcards) yields no value.</summary>
    private static JsonNode? Find(JsonNode? node, string path)
    {
        foreach (var segment in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = segment;
            int? index = null;
            var bracket = segment.IndexOf('[');
            if (bracket >= 0)
            {
                if (!segment.EndsWith(']') || !int.TryParse(segment[(bracket + 1)..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var i)) return null;
                name = segment[..bracket];
                index = i;
            }
            if (name.Length > 0) node = node is JsonObject o ? o[name] : null;
            if (index is int at) node = node is JsonArray a && at < a.Count ? a[at] : null;
            if (node == null) return null;
        }
        return node;
    }
}
