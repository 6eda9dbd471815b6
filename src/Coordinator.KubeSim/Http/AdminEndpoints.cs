using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;
using Coordinator.KubeSim.Faults;
using Coordinator.KubeSim.Hosting;
using Microsoft.AspNetCore.Http;

namespace Coordinator.KubeSim.Http;

/// <summary>
/// <c>/_kubesim/...</c>: simulator control, never subject to fault injection.
/// GET clusters (name, server, labels); POST clusters/{name} (optional body {"labels":{...}}); GET|PUT|DELETE clusters/{name}/faults; GET clusters/{name}/traffic?namespace=&amp;host=;
/// POST clusters/{name}/seed; POST clusters/{name}/rbac (enforce RBAC); POST clusters/{name}/serviceaccounts/{ns}/{sa}/token
/// (mint a ServiceAccount token, answered as {"token": ...}); GET stats (read-only counters of the whole server, such as
/// the watches open on it: {"clusters":N,"openWatches":N,"openWatchesByResource":{"deployments.apps":N,...}}).
/// </summary>
internal sealed class AdminEndpoints(KubeSimServer server)
{
    public async Task HandleAsync(HttpContext ctx, string[] segments)
    {
        // segments[0] == "_kubesim"
        var method = ctx.Request.Method;
        switch (segments[1..])
        {
            case ["clusters"] when method == "GET":
                var list = new JsonArray();
                foreach (var c in server.Clusters) list.Add(new JsonObject { ["name"] = c.Name, ["server"] = c.ServerUrl, ["labels"] = LabelsJson(c) });
                await HttpIo.WriteJsonAsync(ctx, 200, new JsonObject { ["clusters"] = list });
                return;
            case ["stats"] when method == "GET":
                await HttpIo.WriteJsonAsync(ctx, 200, Stats());
                return;
            case ["clusters", var name] when method == "POST":
                SimCluster added;
                try
                {
                    added = server.AddCluster(name, ctx.Request.ContentLength > 0 ? LabelsOf(await HttpIo.ReadObjectAsync(ctx)) : null);
                }
                catch (ArgumentException e)
                {
                    throw KubeApiException.BadRequest(e.Message);
                }
                await HttpIo.WriteJsonAsync(ctx, 201, new JsonObject { ["name"] = added.Name, ["server"] = added.ServerUrl, ["labels"] = LabelsJson(added) });
                return;
            case ["clusters", var name, "faults"]:
                await FaultsAsync(ctx, Cluster(name));
                return;
            case ["clusters", var name, "traffic"] when method == "GET":
                var ns = ctx.Request.Query["namespace"].ToString();
                var host = ctx.Request.Query["host"].ToString();
                if (ns.Length == 0 || host.Length == 0) throw KubeApiException.BadRequest("traffic needs the query parameters namespace and host");
                var snapshot = Cluster(name).Traffic(ns, host);
                var shares = new JsonObject();
                foreach (var (image, share) in snapshot.ShareByImage) shares[image] = share;
                await HttpIo.WriteJsonAsync(ctx, 200, new JsonObject
                {
                    ["namespace"] = ns, ["host"] = host, ["shareByImage"] = shares, ["errorShare"] = snapshot.ErrorShare, ["totalWeight"] = snapshot.TotalWeight,
                });
                return;
            case ["clusters", var name, "rbac"] when method == "POST":
                Cluster(name).EnableRbac();
                await HttpIo.WriteJsonAsync(ctx, 200, new JsonObject { ["rbac"] = true });
                return;
            case ["clusters", var name, "serviceaccounts", var saNamespace, var account, "token"] when method == "POST":
                await HttpIo.WriteJsonAsync(ctx, 201, new JsonObject { ["token"] = Cluster(name).CreateServiceAccountToken(saNamespace, account) });
                return;
            case ["clusters", var name, "seed"] when method == "POST":
                Cluster(name).LoadSeed();
                await HttpIo.WriteJsonAsync(ctx, 200, new JsonObject { ["seeded"] = name });
                return;
            default:
                throw new KubeApiException(404, "NotFound", "unknown KubeSim admin endpoint");
        }
    }

    /// <summary>Counters for benchmarks and operators: how many clusters, how many watch streams are open (by resource).</summary>
    private JsonObject Stats()
    {
        var byResource = new Dictionary<string, int>(StringComparer.Ordinal);
        var clusters = 0;
        foreach (var c in server.AllClusters)
        {
            clusters++;
            c.Store.CountWatches(byResource);
        }
        var watches = new JsonObject();
        foreach (var (resource, count) in byResource.OrderBy(kv => kv.Key, StringComparer.Ordinal)) watches[resource] = count;
        return new JsonObject { ["clusters"] = clusters, ["openWatches"] = byResource.Values.Sum(), ["openWatchesByResource"] = watches };
    }

    /// <summary>The optional body of POST clusters/{name}: <c>{"labels":{"region":"europe-west1","tier":"web"}}</c>.</summary>
    private static Dictionary<string, string>? LabelsOf(JsonObject body) => body["labels"] switch
    {
        null => null,
        JsonObject labels => labels.ToDictionary(kv => kv.Key, kv => kv.Value is JsonValue v && v.TryGetValue<string>(out var value)
            ? value
            : throw KubeApiException.BadRequest($"labels.{kv.Key} must be a string")),
        _ => throw KubeApiException.BadRequest("labels must be an object of string values"),
    };

    private static JsonObject LabelsJson(SimCluster cluster)
    {
        var labels = new JsonObject();
        foreach (var (key, value) in cluster.Labels.OrderBy(kv => kv.Key, StringComparer.Ordinal)) labels[key] = value;
        return labels;
    }

    private SimCluster Cluster(string name) =>
        server.TryGetCluster(name, out var c) ? c : throw new KubeApiException(404, "NotFound", $"KubeSim has no cluster named \"{name}\"");

    private static async Task FaultsAsync(HttpContext ctx, SimCluster cluster)
    {
        switch (ctx.Request.Method)
        {
            case "GET":
                break;
            case "PUT":
                try
                {
                    FaultSettingsJson.Apply(cluster.Faults, await HttpIo.ReadObjectAsync(ctx));
                }
                catch (ArgumentException e)
                {
                    throw KubeApiException.BadRequest(e.Message);
                }
                break;
            case "DELETE":
                cluster.Faults.Clear();
                break;
            default:
                throw new KubeApiException(405, "MethodNotAllowed", "faults accepts GET, PUT and DELETE");
        }
        await HttpIo.WriteJsonAsync(ctx, 200, FaultSettingsJson.Write(cluster.Faults));
    }
}
