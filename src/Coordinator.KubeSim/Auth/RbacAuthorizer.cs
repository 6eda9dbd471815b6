using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;
using Coordinator.KubeSim.Store;

namespace Coordinator.KubeSim.Auth;

/// <summary>
/// The RBAC authorizer: a request is allowed when a rule of a role bound to the user allows it — ClusterRoleBindings
/// anywhere, RoleBindings (to a Role or a ClusterRole) in the request's namespace. Reads the cluster's rbac objects at
/// each decision, so a kubectl apply of a role takes effect at once, as with the apiserver's informers.
/// </summary>
internal sealed class RbacAuthorizer(ObjectStore store)
{
    public bool Authorize(RequestAttributes a)
    {
        foreach (var binding in store.List(ResourceCatalog.ClusterRoleBindings, null, null, null, out _))
        {
            var obj = JsonFields.ParseObject(binding.Json);
            if (RbacSubjects.AppliesTo(obj, a.User, "") && RoleAllows(obj, "", a)) return true;
        }
        if (a.Namespace.Length == 0) return false;
        foreach (var binding in store.List(ResourceCatalog.RoleBindings, a.Namespace, null, null, out _))
        {
            var obj = JsonFields.ParseObject(binding.Json);
            if (RbacSubjects.AppliesTo(obj, a.User, a.Namespace) && RoleAllows(obj, a.Namespace, a)) return true;
        }
        return false;
    }

    private bool RoleAllows(JsonObject binding, string ns, RequestAttributes a)
    {
        var name = JsonFields.Str(binding["roleRef"], "name") ?? "";
        var role = JsonFields.Str(binding["roleRef"], "kind") == "Role"
            ? store.Get(ResourceCatalog.Roles, ns, name)
            : store.Get(ResourceCatalog.ClusterRoles, "", name);
        if (role == null) return false;
        var rules = JsonFields.ParseObject(role.Json)["rules"] as JsonArray ?? [];
        return rules.Any(r => RbacRule.Parse(r).Allows(a));
    }
}
