using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;

namespace Coordinator.KubeSim.Http;

/// <summary>
/// Legacy (non-aggregated) discovery: kubectl asks for aggregated discovery first and falls back to these
/// when it gets plain application/json. Short names, categories and subresources come from the catalog.
/// </summary>
internal static class DiscoveryDocuments
{
    public static JsonObject Version() => new()
    {
        ["major"] = "1", ["minor"] = "32", ["gitVersion"] = "v1.32.0", ["gitCommit"] = "kubesim", ["gitTreeState"] = "clean",
        ["buildDate"] = "2024-12-11T00:00:00Z", ["goVersion"] = "go1.23.3", ["compiler"] = "gc", ["platform"] = "linux/amd64",
    };

    public static JsonObject ApiVersions() => new()
    {
        ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = "127.0.0.1" }),
    };

    public static JsonObject GroupList(ClusterCatalog catalog)
    {
        var groups = new JsonArray();
        foreach (var g in catalog.Groups.Where(g => g.Length > 0)) groups.Add(Group(catalog, g));
        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    public static JsonObject? GroupDocument(ClusterCatalog catalog, string group) =>
        catalog.Groups.Contains(group) && group.Length > 0 ? Group(catalog, group, withKind: true) : null;

    private static JsonObject Group(ClusterCatalog catalog, string group, bool withKind = false)
    {
        var versions = catalog.VersionsOf(group);
        var doc = new JsonObject();
        if (withKind)
        {
            doc["kind"] = "APIGroup";
            doc["apiVersion"] = "v1";
        }
        doc["name"] = group;
        doc["versions"] = new JsonArray(versions.Select(v => (JsonNode)GroupVersion(group, v)).ToArray());
        doc["preferredVersion"] = GroupVersion(group, versions[0]);
        return doc;
    }

    private static JsonObject GroupVersion(string group, string version) =>
        new() { ["groupVersion"] = group + "/" + version, ["version"] = version };

    public static JsonObject? ResourceList(ClusterCatalog catalog, string group, string version)
    {
        var types = catalog.InGroupVersion(group, version).ToList();
        if (types.Count == 0) return null;
        var resources = new JsonArray();
        foreach (var t in types)
        {
            var resource = new JsonObject
            {
                ["name"] = t.Plural, ["singularName"] = t.Singular, ["namespaced"] = t.Namespaced, ["kind"] = t.Kind,
                ["verbs"] = Verbs("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
            };
            // Empty lists are omitted, as the apiserver's omitempty does (04-crd-discovery.json has no categories).
            if (t.ShortNames.Length > 0) resource["shortNames"] = new JsonArray(t.ShortNames.Select(s => (JsonNode)s).ToArray());
            if (t.Categories.Length > 0) resource["categories"] = new JsonArray(t.Categories.Select(s => (JsonNode)s).ToArray());
            resource["storageVersionHash"] = Convert.ToBase64String(BitConverter.GetBytes(t.GroupResource.GetHashCode(StringComparison.Ordinal)))[..8];
            resources.Add(resource);
            if (t.HasStatusSubresource)
                resources.Add(Subresource(t.Plural + "/status", t.Namespaced, t.Kind, null, null));
            if (t.HasScaleSubresource)
                resources.Add(Subresource(t.Plural + "/scale", t.Namespaced, "Scale", "autoscaling", "v1"));
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList", ["apiVersion"] = "v1", ["groupVersion"] = group.Length == 0 ? version : group + "/" + version,
            ["resources"] = resources,
        };
    }

    private static JsonObject Subresource(string name, bool namespaced, string kind, string? group, string? version)
    {
        var r = new JsonObject { ["name"] = name, ["singularName"] = "", ["namespaced"] = namespaced };
        if (group != null) r["group"] = group;
        if (version != null) r["version"] = version;
        r["kind"] = kind;
        r["verbs"] = Verbs("get", "patch", "update");
        return r;
    }

    private static JsonArray Verbs(params string[] verbs) => new(verbs.Select(v => (JsonNode)v).ToArray());
}
