using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;
using Coordinator.KubeSim.Store;

namespace Coordinator.KubeSim.Auth;

/// <summary>
/// The default roles and bindings the apiserver creates (plugin/pkg/auth/authorizer/rbac/bootstrappolicy) that clients
/// rely on: cluster-admin for system:masters, discovery, basic-user and public info for authenticated users.
/// </summary>
internal static class BootstrapPolicy
{
    private static readonly string[] DiscoveryUrls =
        ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"];

    public static void Create(ObjectStore store)
    {
        Role(store, "cluster-admin",
            new JsonObject { ["apiGroups"] = Array("*"), ["resources"] = Array("*"), ["verbs"] = Array("*") },
            new JsonObject { ["nonResourceURLs"] = Array("*"), ["verbs"] = Array("*") });
        Bind(store, "cluster-admin", "cluster-admin", UserInfo.Masters);
        Role(store, "system:discovery", new JsonObject { ["nonResourceURLs"] = Array(DiscoveryUrls), ["verbs"] = Array("get") });
        Bind(store, "system:discovery", "system:discovery", UserInfo.Authenticated);
        Role(store, "system:basic-user", new JsonObject
        {
            ["apiGroups"] = Array("authorization.k8s.io"), ["resources"] = Array("selfsubjectaccessreviews", "selfsubjectrulesreviews"), ["verbs"] = Array("create"),
        });
        Bind(store, "system:basic-user", "system:basic-user", UserInfo.Authenticated);
        Role(store, "system:public-info-viewer", new JsonObject
        {
            ["nonResourceURLs"] = Array("/healthz", "/livez", "/readyz", "/version", "/version/"), ["verbs"] = Array("get"),
        });
        Bind(store, "system:public-info-viewer", "system:public-info-viewer", UserInfo.Authenticated, "system:unauthenticated");
    }

    private static JsonArray Array(params string[] values) => new(values.Select(v => (JsonNode)v).ToArray());

    private static JsonObject Metadata(string name) => new()
    {
        ["name"] = name,
        ["labels"] = new JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" },
        ["annotations"] = new JsonObject { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" },
    };

    private static void Role(ObjectStore store, string name, params JsonObject[] rules) =>
        CreateOnce(store, ResourceCatalog.ClusterRoles, new JsonObject { ["metadata"] = Metadata(name), ["rules"] = new JsonArray(rules) });

    private static void Bind(ObjectStore store, string name, string role, params string[] groups) =>
        CreateOnce(store, ResourceCatalog.ClusterRoleBindings, new JsonObject
        {
            ["metadata"] = Metadata(name),
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = role },
            ["subjects"] = new JsonArray(groups.Select(g => (JsonNode)new JsonObject
            {
                ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Group", ["name"] = g,
            }).ToArray()),
        });

    private static void CreateOnce(ObjectStore store, ResourceType t, JsonObject obj)
    {
        try
        {
            store.Create(t, "", obj);
        }
        catch (KubeApiException e) when (e.Code == 409)
        {
            // Enabled twice: the first copy stays (the apiserver reconciles, it does not duplicate).
        }
    }
}
