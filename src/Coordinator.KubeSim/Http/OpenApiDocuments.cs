using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;

namespace Coordinator.KubeSim.Http;

/// <summary>
/// Just enough OpenAPI v3 for kubectl 1.32: its field-validation check (queryParamVerifierV3) looks, per
/// group-version document, for a PATCH operation carrying x-kubernetes-group-version-kind and a
/// <c>fieldValidation</c> query parameter. When found, kubectl sends fieldValidation=Strict and skips
/// client-side schema validation, so <c>kubectl create -f</c> works without <c>--validate=false</c>.
/// No component schemas are served, so kubectl apply falls back to its built-in patch metadata.
/// </summary>
internal static class OpenApiDocuments
{
    private const string Hash = "4B7C1D2E3F405162738495A6B7C8D9E0F1A2B3C4D5E6F708192A3B4C5D6E7F80";

    /// <summary>client-go resolves serverRelativeURL with RequestURI (it replaces the whole path), so it carries the cluster prefix.</summary>
    public static JsonObject Root(ClusterCatalog catalog, string clusterPrefix)
    {
        var paths = new JsonObject();
        foreach (var (group, version) in GroupVersions(catalog))
        {
            var key = group.Length == 0 ? "api/" + version : $"apis/{group}/{version}";
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"{clusterPrefix}/openapi/v3/{key}?hash={Hash}" };
        }
        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject? GroupVersion(ClusterCatalog catalog, string group, string version)
    {
        var types = catalog.InGroupVersion(group, version).ToList();
        if (types.Count == 0) return null;
        var paths = new JsonObject();
        foreach (var t in types)
        {
            var prefix = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
            var collection = t.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{t.Plural}" : $"{prefix}/{t.Plural}";
            var gvk = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = t.Kind };
            paths[collection] = new JsonObject
            {
                ["get"] = Operation("list" + t.Kind, gvk, "list"),
                ["post"] = Operation("create" + t.Kind, gvk, "post"),
            };
            paths[collection + "/{name}"] = new JsonObject
            {
                ["get"] = Operation("read" + t.Kind, gvk, "get"),
                ["put"] = Operation("replace" + t.Kind, gvk, "put"),
                ["patch"] = Operation("patch" + t.Kind, gvk, "patch"),
                ["delete"] = Operation("delete" + t.Kind, gvk, "delete"),
            };
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    private static JsonObject Operation(string id, JsonObject gvk, string action)
    {
        var parameters = new JsonArray();
        if (action is "post" or "put" or "patch")
        {
            parameters.Add(Query("dryRun"));
            parameters.Add(Query("fieldManager"));
            parameters.Add(Query("fieldValidation"));
        }
        if (action == "patch") parameters.Add(Query("force", "boolean"));
        return new JsonObject
        {
            ["operationId"] = id,
            ["parameters"] = parameters,
            ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = gvk.DeepClone(),
        };
    }

    private static JsonObject Query(string name, string type = "string") => new()
    {
        ["name"] = name, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = type, ["uniqueItems"] = true },
    };

    private static IEnumerable<(string Group, string Version)> GroupVersions(ClusterCatalog catalog)
    {
        foreach (var group in catalog.Groups)
        {
            foreach (var v in catalog.VersionsOf(group)) yield return (group, v);
        }
    }
}
