using Coordinator.KubeSim.Api;

namespace Coordinator.KubeSim.Http;

/// <summary>A request for a resource (collection or object) inside one cluster's API.</summary>
internal sealed record ResourceRequest(ResourceType Type, string Version, string? Namespace, string? Name, string? Subresource);

/// <summary>Parses the part of the URL after <c>/clusters/&lt;name&gt;</c>.</summary>
internal static class ApiPath
{
    public enum Kind { Resource, Discovery, Unknown }

    /// <summary>segments: the path after the cluster prefix, split on '/', without empty entries.</summary>
    public static Kind Parse(ClusterCatalog catalog, string[] segments, out ResourceRequest? request, out string group, out string version)
    {
        request = null;
        group = "";
        version = "";
        int restStart;
        if (segments.Length >= 2 && segments[0] == "api")
        {
            version = segments[1];
            restStart = 2;
        }
        else if (segments.Length >= 3 && segments[0] == "apis")
        {
            group = segments[1];
            version = segments[2];
            restStart = 3;
        }
        else
        {
            return Kind.Unknown;
        }
        var rest = segments.AsSpan(restStart);
        if (rest.Length == 0) return Kind.Discovery;

        string? ns = null;
        if (rest[0] == "namespaces" && rest.Length >= 3)
        {
            if (rest.Length == 3 && rest[2] is "status" or "finalize" && group.Length == 0 && version == "v1")
            {
                request = new ResourceRequest(ResourceCatalog.Namespaces, version, null, rest[1], rest[2]);
                return Kind.Resource;
            }
            ns = rest[1];
            rest = rest[2..];
        }
        var type = catalog.FindByPlural(group, version, rest[0]);
        if (type == null || rest.Length > 3) return Kind.Unknown;
        if (ns != null && !type.Namespaced) return Kind.Unknown;
        var name = rest.Length >= 2 ? rest[1] : null;
        if (name != null && ns == null && type.Namespaced) return Kind.Unknown;
        var sub = rest.Length == 3 ? rest[2] : null;
        if (sub != null && !(sub == "status" && type.HasStatusSubresource) && !(sub == "scale" && type.HasScaleSubresource)
            && !(sub == "token" && type == ResourceCatalog.ServiceAccounts)
            && !(sub == "eviction" && type == ResourceCatalog.Pods)) return Kind.Unknown;
        request = new ResourceRequest(type, version, ns, name, sub);
        return Kind.Resource;
    }
}
