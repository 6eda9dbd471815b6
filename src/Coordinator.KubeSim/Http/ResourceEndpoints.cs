using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;
using Coordinator.KubeSim.Auth;
using Coordinator.KubeSim.Hosting;
using Coordinator.KubeSim.Patching;
using Coordinator.KubeSim.Store;
using Microsoft.AspNetCore.Http;

namespace Coordinator.KubeSim.Http;

/// <summary>The verbs on one resource path: get, list, watch, create, update, patch, delete (+ status/scale subresources).</summary>
internal static class ResourceEndpoints
{
    /// <param name="user">The authenticated user when the cluster enforces RBAC (its writes go through owner-reference admission).</param>
    public static async Task HandleAsync(HttpContext ctx, SimCluster cluster, ResourceRequest req, CancellationToken serverStopping, UserInfo? user = null)
    {
        var store = cluster.Store;
        var t = req.Type;
        var ns = req.Namespace ?? "";
        var query = ctx.Request.Query;
        var check = user == null ? null : cluster.Auth.OwnerReferencesCheck(user, t, ns);
        switch (ctx.Request.Method)
        {
            case "POST" when req.Subresource == "token":
                await HttpIo.WriteJsonAsync(ctx, 201, TokenRequest(cluster, ns, req.Name!, await HttpIo.ReadObjectAsync(ctx)));
                return;
            case "POST" when req.Subresource == "eviction":
                await HttpIo.WriteJsonAsync(ctx, 201, Evict(store, ns, req.Name!, await HttpIo.ReadObjectAsync(ctx)));
                return;
            case "PUT" or "PATCH" or "DELETE" or "GET" when req.Subresource == "eviction":
                throw new KubeApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
            case "GET" when req.Name == null:
                if (query["watch"] is var w && (w == "true" || w == "1"))
                    await WatchEndpoint.HandleAsync(ctx, store, req, serverStopping);
                else
                    await ListAsync(ctx, store, req);
                return;
            case "GET":
                if (req.Subresource == "scale")
                {
                    await HttpIo.WriteJsonAsync(ctx, 200, store.GetScale(t, ns, req.Name));
                    return;
                }
                var found = store.Get(t, ns, req.Name) ?? throw KubeApiException.NotFound(t, req.Name);
                if (TableWriter.Wants(ctx.Request.Headers.Accept))
                    await HttpIo.WriteJsonAsync(ctx, 200, TableWriter.Build(t, req.Version, [found], found.ResourceVersion, query["includeObject"], store.Time.GetUtcNow()));
                else
                    await HttpIo.WriteBytesAsync(ctx, 200, ObjectBytes.ForVersion(found, req.Version));
                return;
            case "POST" when req.Name == null && (req.Namespace != null || !t.Namespaced):
                var created = store.Create(t, ns, await HttpIo.ReadObjectAsync(ctx), check);
                await HttpIo.WriteBytesAsync(ctx, 201, ObjectBytes.ForVersion(created, req.Version));
                return;
            case "PUT" when req.Name != null:
                var body = await HttpIo.ReadObjectAsync(ctx);
                if (req.Subresource == "scale")
                {
                    await HttpIo.WriteJsonAsync(ctx, 200, store.UpdateScale(t, ns, req.Name, _ => body));
                    return;
                }
                var replaced = store.Replace(t, ns, req.Name, body, req.Subresource == "status" ? WriteMode.Status : WriteMode.Main, check);
                await HttpIo.WriteBytesAsync(ctx, 200, ObjectBytes.ForVersion(replaced, req.Version));
                return;
            case "PATCH" when req.Name != null:
                await PatchAsync(ctx, store, req, check);
                return;
            case "DELETE" when req.Name != null:
                var (policy, uid, rv) = await ReadDeleteOptionsAsync(ctx);
                var deleted = store.Delete(t, ns, req.Name, policy, uid, rv);
                await HttpIo.WriteBytesAsync(ctx, 200, ObjectBytes.ForVersion(deleted, req.Version));
                return;
            case "DELETE":
                await DeleteCollectionAsync(ctx, store, req);
                return;
            default:
                throw new KubeApiException(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource");
        }
    }

    /// <summary>
    /// The Eviction API (<c>POST pods/NAME/eviction</c>, a policy/v1 Eviction): the pod is deleted as a DELETE would,
    /// with the Status a real API server answers. KubeSim has no PodDisruptionBudgets, so no eviction is refused with 429.
    /// </summary>
    private static JsonObject Evict(ObjectStore store, string ns, string name, JsonObject eviction)
    {
        if (eviction["metadata"]?["name"] is JsonValue named && named.TryGetValue<string>(out var evictionName) && evictionName != name)
            throw KubeApiException.BadRequest($"name in URL does not match name in Eviction object");
        store.Delete(ResourceCatalog.Pods, ns, name, PropagationPolicy.Background);
        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["code"] = 201,
        };
    }

    private static async Task ListAsync(HttpContext ctx, ObjectStore store, ResourceRequest req)
    {
        var query = ctx.Request.Query;
        if (query["resourceVersionMatch"] == "Exact" && long.TryParse(query["resourceVersion"], out var exact)) store.EnsureNotExpired(exact);
        var items = store.List(req.Type, req.Namespace, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"]), out var listRv);
        if (TableWriter.Wants(ctx.Request.Headers.Accept))
        {
            await HttpIo.WriteJsonAsync(ctx, 200, TableWriter.Build(req.Type, req.Version, items, listRv, query["includeObject"], store.Time.GetUtcNow()));
            return;
        }
        var buffer = new ArrayBufferWriter<byte>(256 + items.Count * 1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("apiVersion", req.Type.ApiVersionFor(req.Version));
            w.WriteString("kind", req.Type.ListKind);
            w.WriteStartObject("metadata");
            w.WriteString("resourceVersion", listRv.ToString(CultureInfo.InvariantCulture));
            w.WriteEndObject();
            w.WriteStartArray("items");
            foreach (var item in items) w.WriteRawValue(ObjectBytes.ForVersion(item, req.Version), skipInputValidation: true);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        await HttpIo.WriteBytesAsync(ctx, 200, buffer.WrittenMemory);
    }

    private static async Task PatchAsync(HttpContext ctx, ObjectStore store, ResourceRequest req, WriteCheck? check)
    {
        var kind = PatchEngine.FromContentType(ctx.Request.ContentType)
            ?? throw new KubeApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json");
        var body = await HttpIo.ReadBodyAsync(ctx);
        var ns = req.Namespace ?? "";
        if (req.Subresource == "scale")
        {
            var scale = store.UpdateScale(req.Type, ns, req.Name!, current => PatchEngine.Apply(kind == PatchKind.StrategicMerge ? PatchKind.Merge : kind, current, body, req.Type));
            await HttpIo.WriteJsonAsync(ctx, 200, scale);
            return;
        }
        var patched = store.Patch(req.Type, ns, req.Name!, kind, body, req.Subresource == "status" ? WriteMode.Status : WriteMode.Main, check);
        await HttpIo.WriteBytesAsync(ctx, 200, ObjectBytes.ForVersion(patched, req.Version));
    }

    private static async Task DeleteCollectionAsync(HttpContext ctx, ObjectStore store, ResourceRequest req)
    {
        var (policy, _, _) = await ReadDeleteOptionsAsync(ctx);
        var query = ctx.Request.Query;
        var items = store.List(req.Type, req.Namespace, LabelSelector.Parse(query["labelSelector"]), FieldSelector.Parse(query["fieldSelector"]), out var rv);
        var deleted = new List<StoredObject>();
        foreach (var item in items)
        {
            try
            {
                deleted.Add(store.Delete(req.Type, item.Namespace, item.Name, policy));
            }
            catch (KubeApiException e) when (e.Code == 404)
            {
                // Already gone (garbage collected by an earlier delete in this loop).
            }
        }
        var list = new JsonObject
        {
            ["apiVersion"] = req.Type.ApiVersionFor(req.Version), ["kind"] = req.Type.ListKind,
            ["metadata"] = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) },
            ["items"] = new JsonArray(deleted.Select(d => JsonNode.Parse(ObjectBytes.ForVersion(d, req.Version))).ToArray()),
        };
        await HttpIo.WriteJsonAsync(ctx, 200, list);
    }

    /// <summary>POST serviceaccounts/NAME/token (TokenRequest, what <c>kubectl create token</c> sends).</summary>
    private static JsonObject TokenRequest(SimCluster cluster, string ns, string name, JsonObject request)
    {
        var token = cluster.CreateServiceAccountToken(ns, name);
        var seconds = JsonFields.Long(request["spec"], "expirationSeconds") ?? 3600;
        return new JsonObject
        {
            ["kind"] = "TokenRequest", ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["creationTimestamp"] = null },
            ["spec"] = new JsonObject
            {
                ["audiences"] = request["spec"]?["audiences"]?.DeepClone() ?? new JsonArray("https://kubernetes.default.svc.cluster.local"),
                ["expirationSeconds"] = seconds, ["boundObjectRef"] = null,
            },
            ["status"] = new JsonObject
            {
                ["token"] = token,
                ["expirationTimestamp"] = cluster.Store.Time.GetUtcNow().AddSeconds(seconds).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            },
        };
    }

    private static async Task<(PropagationPolicy Policy, string? Uid, string? Rv)> ReadDeleteOptionsAsync(HttpContext ctx)
    {
        string? policyText = ctx.Request.Query["propagationPolicy"];
        string? uid = null, rv = null;
        bool? orphan = ctx.Request.Query["orphanDependents"] == "true" ? true : null;
        var body = await HttpIo.ReadBodyAsync(ctx);
        if (body.Length > 0 && RequestBody.ParseJson(body) is JsonObject options)
        {
            policyText = JsonFields.Str(options, "propagationPolicy") ?? policyText;
            uid = JsonFields.Str(options["preconditions"], "uid");
            rv = JsonFields.Str(options["preconditions"], "resourceVersion");
            if (options["orphanDependents"] is JsonValue v && v.TryGetValue<bool>(out var o)) orphan = o;
        }
        var policy = policyText switch
        {
            "Foreground" => PropagationPolicy.Foreground,
            "Orphan" => PropagationPolicy.Orphan,
            null or "" or "Background" => orphan == true ? PropagationPolicy.Orphan : PropagationPolicy.Background,
            _ => throw KubeApiException.BadRequest($"propagationPolicy: Unsupported value: \"{policyText}\""),
        };
        return (policy, uid, rv);
    }
}
