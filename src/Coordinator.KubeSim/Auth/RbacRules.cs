using System.Text.Json.Nodes;
using Coordinator.KubeSim.Store;

namespace Coordinator.KubeSim.Auth;

/// <summary>One PolicyRule and its matching, as k8s.io/kubernetes/pkg/apis/rbac/v1 evaluation helpers define it.</summary>
internal sealed record RbacRule(string[] Verbs, string[] ApiGroups, string[] Resources, string[] ResourceNames, string[] NonResourceUrls)
{
    public static RbacRule Parse(JsonNode? rule) => new(
        Strings(rule, "verbs"), Strings(rule, "apiGroups"), Strings(rule, "resources"), Strings(rule, "resourceNames"), Strings(rule, "nonResourceURLs"));

    private static string[] Strings(JsonNode? node, string field) =>
        (node?[field] as JsonArray)?.Select(v => v?.ToString() ?? "").ToArray() ?? [];

    public bool Allows(RequestAttributes a) => a.IsResourceRequest
        ? VerbMatches(a.Verb) && ApiGroupMatches(a.ApiGroup) && ResourceMatches(a) && ResourceNameMatches(a.Name)
        : VerbMatches(a.Verb) && NonResourceUrlMatches(a.Path);

    private bool VerbMatches(string verb) => Verbs.Contains("*") || Verbs.Contains(verb);

    private bool ApiGroupMatches(string group) => ApiGroups.Contains("*") || ApiGroups.Contains(group);

    private bool ResourceMatches(RequestAttributes a)
    {
        var combined = a.Subresource.Length == 0 ? a.Resource : a.Resource + "/" + a.Subresource;
        foreach (var r in Resources)
        {
            if (r == "*" || r == combined) return true;
            // "*/scale" matches the scale subresource of any resource.
            if (a.Subresource.Length > 0 && r.Length == a.Subresource.Length + 2 && r.StartsWith("*/", StringComparison.Ordinal)
                && r.EndsWith(a.Subresource, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    private bool ResourceNameMatches(string name) => ResourceNames.Length == 0 || ResourceNames.Contains(name);

    private bool NonResourceUrlMatches(string path) =>
        NonResourceUrls.Any(u => u == "*" || u == path || (u.EndsWith('*') && path.StartsWith(u.TrimEnd('*'), StringComparison.Ordinal)));
}

/// <summary>Subjects of a (Cluster)RoleBinding, matched as the RBAC authorizer's appliesTo does.</summary>
internal static class RbacSubjects
{
    public static bool AppliesTo(JsonObject binding, UserInfo user, string bindingNamespace)
    {
        foreach (var s in (binding["subjects"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = JsonFields.Str(s, "name") ?? "";
            switch (JsonFields.Str(s, "kind"))
            {
                case "User" when name == user.Name:
                    return true;
                case "Group" when user.Groups.Contains(name):
                    return true;
                case "ServiceAccount":
                    // An unqualified ServiceAccount subject of a RoleBinding means the binding's namespace.
                    var ns = JsonFields.Str(s, "namespace") is { Length: > 0 } given ? given : bindingNamespace;
                    if (ns.Length > 0 && user.Name == $"system:serviceaccount:{ns}:{name}") return true;
                    break;
            }
        }
        return false;
    }
}
