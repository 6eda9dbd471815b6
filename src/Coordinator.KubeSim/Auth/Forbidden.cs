using Coordinator.KubeSim.Api;

namespace Coordinator.KubeSim.Auth;

/// <summary>The apiserver's 401 and 403 answers (apierrors.NewUnauthorized / NewForbidden with the authorizer's message).</summary>
internal static class Forbidden
{
    public static KubeApiException Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    /// <summary>As 03-status-403.json: "replicasets.apps is forbidden: User \"...\" cannot list resource \"replicasets\" in API group \"apps\" in the namespace \"ref\"".</summary>
    public static KubeApiException For(RequestAttributes a)
    {
        if (!a.IsResourceRequest)
            return new KubeApiException(403, "Forbidden", $"forbidden: User \"{a.User.Name}\" cannot {a.Verb} path \"{a.Path}\"");
        var resource = a.Subresource.Length == 0 ? a.Resource : a.Resource + "/" + a.Subresource;
        var scope = a.Namespace.Length > 0 ? $"in the namespace \"{a.Namespace}\"" : "at the cluster scope";
        return Admission(a.ApiGroup, a.Resource, a.Name,
            $"User \"{a.User.Name}\" cannot {a.Verb} resource \"{resource}\" in API group \"{a.ApiGroup}\" {scope}");
    }

    /// <summary>apierrors.NewForbidden(groupResource, name, err): what admission plugins answer too.</summary>
    public static KubeApiException Admission(string group, string resource, string name, string reason)
    {
        var qualified = group.Length == 0 ? resource : resource + "." + group;
        var message = name.Length == 0 ? $"{qualified} is forbidden: {reason}" : $"{qualified} \"{name}\" is forbidden: {reason}";
        return new KubeApiException(403, "Forbidden", message, name.Length == 0 ? null : name, group, resource);
    }
}
