using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;
using Coordinator.KubeSim.Store;

namespace Coordinator.KubeSim.Http;

/// <summary>Builds a meta.k8s.io/v1 Table, the server-side printing format kubectl asks for with <c>as=Table</c>.</summary>
internal static class TableWriter
{
    public static bool Wants(string? accept) => accept != null && accept.Contains("as=Table", StringComparison.Ordinal);

    public static JsonObject Build(ResourceType t, string version, IEnumerable<StoredObject> objects, long listRv, string? includeObject, DateTimeOffset now)
    {
        var columns = TableColumns.For(t, version);
        var definitions = new JsonArray();
        foreach (var c in columns)
        {
            definitions.Add(new JsonObject
            {
                ["name"] = c.Name, ["type"] = c.Type, ["format"] = c.Format, ["description"] = c.Name, ["priority"] = c.Wide ? 1 : 0,
            });
        }
        var rows = new JsonArray();
        foreach (var o in objects)
        {
            var obj = JsonFields.ParseObject(ObjectBytes.ForVersion(o, version));
            var cells = new JsonArray();
            foreach (var c in columns) cells.Add(c.Cell(obj, now));
            var row = new JsonObject { ["cells"] = cells };
            if (includeObject == "Object") row["object"] = obj;
            else if (includeObject != "None")
                row["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata", ["apiVersion"] = "meta.k8s.io/v1", ["metadata"] = obj["metadata"]?.DeepClone(),
                };
            rows.Add(row);
        }
        return new JsonObject
        {
            ["kind"] = "Table", ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = listRv.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["columnDefinitions"] = definitions, ["rows"] = rows,
        };
    }
}
