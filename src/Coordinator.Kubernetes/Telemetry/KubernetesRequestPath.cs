using System.Net.Http;

namespace Coordinator.Kubernetes.Telemetry;

/// <summary>
/// What a Kubernetes API request does, read from its method and path as client-go's metrics name it: the resource
/// (plural, e.g. <c>replicasets</c>), namespace, object name (<c>N/A</c> for collections) and verb (Get, List, Watch,
/// Create, Update, Patch, Delete).
/// </summary>
public sealed record KubernetesRequestPath(string Kind, string Namespace, string Name, string Verb)
{
    public static KubernetesRequestPath Parse(HttpMethod method, Uri? uri)
    {
        var query = uri?.Query ?? "";
        // The path after the cluster's base (KubeSim serves clusters under /clusters/NAME): from "api" or "apis" on.
        var segments = (uri?.AbsolutePath ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        var root = segments.FindIndex(s => s is "api" or "apis");
        // Not a resource (/version, /healthz): a plain read.
        if (root < 0) return new(segments.LastOrDefault() ?? "", "", "N/A", VerbOf(method, hasName: true, query));
        // api/v1/... or apis/GROUP/VERSION/...
        var rest = segments.Skip(root + (segments[root] == "api" ? 2 : 3)).ToList();
        var ns = "";
        if (rest.Count >= 2 && rest[0] == "namespaces" && rest.Count > 2)
        {
            ns = rest[1];
            rest = rest.Skip(2).ToList();
        }
        var kind = rest.Count > 0 ? rest[0] : segments[^1];
        var name = rest.Count > 1 ? rest[1] : "N/A";
        return new(kind, ns, name, VerbOf(method, hasName: rest.Count > 1, query));
    }

    private static string VerbOf(HttpMethod method, bool hasName, string query) => method.Method switch
    {
        "GET" when query.Contains("watch=true", StringComparison.OrdinalIgnoreCase) => "Watch",
        "GET" => hasName ? "Get" : "List",
        "POST" => "Create",
        "PUT" => "Update",
        "PATCH" => "Patch",
        "DELETE" => "Delete",
        _ => method.Method,
    };
}
