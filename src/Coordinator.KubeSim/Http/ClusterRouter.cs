using System.Text;
using Coordinator.KubeSim.Api;
using Coordinator.KubeSim.Auth;
using Coordinator.KubeSim.Faults;
using Coordinator.KubeSim.Hosting;
using Microsoft.AspNetCore.Http;

namespace Coordinator.KubeSim.Http;

/// <summary>Routes <c>/clusters/&lt;name&gt;/...</c> to version, discovery, OpenAPI or resource handling, after fault injection.</summary>
internal sealed class ClusterRouter(KubeSimServer server, CancellationToken serverStopping)
{
    public async Task HandleAsync(HttpContext ctx, string[] segments)
    {
        // segments[0] == "clusters", segments[1] == cluster name
        if (segments.Length < 2 || !server.TryGetCluster(segments[1], out var cluster))
        {
            throw new KubeApiException(404, "NotFound", $"KubeSim has no cluster named \"{(segments.Length > 1 ? segments[1] : "")}\"");
        }
        var rest = segments[2..];
        var kind = ApiPath.Parse(cluster.Store.Catalog, rest, out var request, out var group, out var version);

        var verb = VerbOf(ctx, request);
        if (kind == ApiPath.Kind.Resource) cluster.Requests.Record(verb, request?.Type.Plural, request?.Namespace);
        cluster.Requests.RecordProtocol(ctx.Request.Protocol);
        if (cluster.Faults.IsActive && !await ApplyFaultsAsync(ctx, cluster, verb, request)) return;
        var user = cluster.Auth.Enabled ? Authorize(ctx, cluster, verb, kind == ApiPath.Kind.Resource ? request : null, rest) : null;

        switch (kind)
        {
            case ApiPath.Kind.Resource:
                await ResourceEndpoints.HandleAsync(ctx, cluster, request!, serverStopping, user);
                return;
            case ApiPath.Kind.Discovery:
                var list = DiscoveryDocuments.ResourceList(cluster.Store.Catalog, group, version) ?? throw NotFoundPath();
                await HttpIo.WriteJsonAsync(ctx, 200, list);
                return;
        }
        switch (rest)
        {
            case ["version"]:
                await HttpIo.WriteJsonAsync(ctx, 200, DiscoveryDocuments.Version());
                return;
            case ["healthz" or "readyz" or "livez"]:
                await HttpIo.WriteBytesAsync(ctx, 200, "ok"u8.ToArray(), "text/plain");
                return;
            case ["api"]:
                await HttpIo.WriteJsonAsync(ctx, 200, DiscoveryDocuments.ApiVersions());
                return;
            case ["apis"]:
                await HttpIo.WriteJsonAsync(ctx, 200, DiscoveryDocuments.GroupList(cluster.Store.Catalog));
                return;
            case ["apis", var g]:
                await HttpIo.WriteJsonAsync(ctx, 200, DiscoveryDocuments.GroupDocument(cluster.Store.Catalog, g) ?? throw NotFoundPath());
                return;
            case ["openapi", "v3"]:
                await HttpIo.WriteJsonAsync(ctx, 200, OpenApiDocuments.Root(cluster.Store.Catalog, "/clusters/" + cluster.Name));
                return;
            case ["openapi", "v3", "api", var v]:
                await HttpIo.WriteJsonAsync(ctx, 200, OpenApiDocuments.GroupVersion(cluster.Store.Catalog, "", v) ?? throw NotFoundPath());
                return;
            case ["openapi", "v3", "apis", var g, var v]:
                await HttpIo.WriteJsonAsync(ctx, 200, OpenApiDocuments.GroupVersion(cluster.Store.Catalog, g, v) ?? throw NotFoundPath());
                return;
            default:
                throw NotFoundPath();
        }
    }

    /// <summary>Authentication, then the RBAC decision on the request's attributes (as the apiserver's RequestInfo resolves them).</summary>
    private static UserInfo Authorize(HttpContext ctx, SimCluster cluster, string verb, ResourceRequest? request, string[] rest)
    {
        var user = cluster.Auth.Authenticate(ctx.Request.Headers.Authorization);
        var attributes = request == null
            ? RequestAttributes.ForPath(user, ctx.Request.Method.ToLowerInvariant(), "/" + string.Join('/', rest))
            : RequestAttributes.ForResource(user, verb, request.Type.Group, request.Type.Plural, request.Subresource ?? "",
                request.Namespace ?? (request.Type == ResourceCatalog.Namespaces ? request.Name ?? "" : ""), request.Name ?? "");
        return cluster.Auth.Authorize(attributes) ? user : throw Forbidden.For(attributes);
    }

    private static KubeApiException NotFoundPath() => new(404, "NotFound", "the server could not find the requested resource");

    /// <summary>Returns false when the fault answered (or dropped) the request.</summary>
    private async Task<bool> ApplyFaultsAsync(HttpContext ctx, SimCluster cluster, string verb, ResourceRequest? request)
    {
        while (true)
        {
            var decision = cluster.Faults.Decide(verb, request?.Type, request?.Namespace, request?.Name);
            switch (decision.Unreachable)
            {
                case UnreachableMode.Refuse:
                    ctx.Abort();
                    return false;
                case UnreachableMode.Hang:
                    using (var stop = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, serverStopping))
                    {
                        try
                        {
                            await cluster.Faults.WhenReleased().WaitAsync(stop.Token);
                        }
                        catch (OperationCanceledException)
                        {
                            ctx.Abort();
                            return false;
                        }
                    }
                    continue;
            }
            if (decision.Delay > TimeSpan.Zero) await Task.Delay(decision.Delay, server.Options.TimeProvider, ctx.RequestAborted);
            if (decision.Error == null) return true;
            await HttpIo.WriteErrorAsync(ctx, decision.Error);
            return false;
        }
    }

    private static string VerbOf(HttpContext ctx, ResourceRequest? request) => ctx.Request.Method switch
    {
        "GET" when request?.Name == null => ctx.Request.Query["watch"] is var w && (w == "true" || w == "1") ? "watch" : "list",
        "GET" => "get",
        "POST" => "create",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" => request?.Name == null ? "deletecollection" : "delete",
        var m => m.ToLowerInvariant(),
    };
}
