using System.Net.Http;
using Coordinator.Domain.Text;

namespace Coordinator.Kubernetes.Telemetry;

/// <summary>
/// What a Kubernetes API request does, read from its method and path as client-go's metrics name it: the resource
/// (plural, e.g. <c>replicasets</c>), namespace, object name (<c>N/A</c> for collections) and verb (Get, List, Watch,
/// Create, Update, Patch, Delete).
/// </summary>
public sealed record KubernetesRequestPath(string Kind, string Namespace, string Name, string Verb)
{
    /// <summary>More path segments than any API path has (KubeSim's cluster prefix, group, version, namespace, subresource).</summary>
    private const int MaxSegments = 16;

    /// <remarks>
    /// Runs for every request a cluster client sends: the segments are read in place and their strings shared
    /// (<see cref="SharedStrings"/>), not split into new ones (that was 3 % of what a fleet run allocated).
    /// </remarks>
    public static KubernetesRequestPath Parse(HttpMethod method, Uri? uri)
    {
        var query = uri?.Query ?? "";
        var path = (uri?.AbsolutePath ?? "").AsSpan();
        Span<Range> ranges = stackalloc Range[MaxSegments];
        var count = path.Split(ranges, '/', StringSplitOptions.RemoveEmptyEntries);
        var segments = ranges[..count];
        // The path after the cluster's base (KubeSim serves clusters under /clusters/NAME): from "api" or "apis" on.
        var root = -1;
        for (var i = 0; i < segments.Length && root < 0; i++)
            if (path[segments[i]] is "api" or "apis") root = i;
        // Not a resource (/version, /healthz): a plain read.
        if (root < 0) return new(count > 0 ? SharedStrings.Get(path[segments[^1]]) : "", "", "N/A", VerbOf(method, hasName: true, query));
        // api/v1/... or apis/GROUP/VERSION/...
        var rest = segments[Math.Min(segments.Length, root + (path[segments[root]] is "api" ? 2 : 3))..];
        var ns = "";
        if (rest.Length > 2 && path[rest[0]] is "namespaces")
        {
            ns = SharedStrings.Get(path[rest[1]]);
            rest = rest[2..];
        }
        var kind = SharedStrings.Get(path[rest.Length > 0 ? rest[0] : segments[^1]]);
        var name = rest.Length > 1 ? SharedStrings.Get(path[rest[1]]) : "N/A";
        return new(kind, ns, name, VerbOf(method, hasName: rest.Length > 1, query));
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
