using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Domain.Observation;
using Coordinator.Domain.Text;
using Coordinator.Kubernetes.Clusters;
using Coordinator.Kubernetes.Json;
using Coordinator.Kubernetes.Watching;
using k8s;

namespace Coordinator.Kubernetes.Rollouts;

/// <summary>
/// Reads Istio VirtualServices and rewrites the weights of the routes a Rollout owns, preserving
/// everything else (§3.8 of ROLLOUT-BEHAVIOUR). Uses v1alpha3, the version every Istio still serves.
/// </summary>
internal static class IstioVirtualServices
{
    public const string Group = "networking.istio.io";
    public const string Version = "v1alpha3";
    public const string Plural = "virtualservices";

    /// <summary>The VirtualService as the API server sent it; null if it does not exist.</summary>
    public static async Task<JsonElement?> ReadAsync(IKubernetes client, string ns, string name, CancellationToken ct)
    {
        var element = await KubernetesCalls.ReadOptionalAsync<object>($"read virtualservice {ns}/{name}",
            async c => await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(Group, Version, ns, Plural, name, cancellationToken: c), ct);
        return element is JsonElement json ? json : null;
    }

    /// <summary>
    /// Writes <paramref name="vs"/> whole (its resourceVersion is the precondition); returns what the server stored: the
    /// watch cache's copy when it holds that version already (see ActionExecutor.WriteAsync), else the answer.
    /// </summary>
    public static Task<CustomObject> ReplaceAsync(IKubernetes client, ObjectCache<CustomObject>? cached, JsonObject vs, CancellationToken ct)
    {
        var ns = vs["metadata"]?["namespace"]?.GetValue<string>() ?? "";
        var name = vs["metadata"]?["name"]?.GetValue<string>() ?? "";
        var path = RawKubernetesRequests.Path($"apis/{Group}/{Version}", ns, Plural, name);
        return KubernetesCalls.RunAsync($"update virtualservice {ns}/{name}",
            c => RawKubernetesRequests.WriteAsync(client, HttpMethod.Put, path, RequestBody.Of(vs), RawKubernetesRequests.Json, answer =>
                cached?.At(ns, name, ObjectJson.ResourceVersion(answer.Span)) ?? new CustomObject(JsonSerializer.Deserialize<JsonElement>(answer.Span)), c), ct);
    }

    /// <summary><c>name.namespace</c> (optionally with <c>.svc.cluster.local</c>) or a plain name.</summary>
    public static (string Namespace, string Name) SplitName(string name, string defaultNamespace)
    {
        if (name.EndsWith(".cluster.local", StringComparison.Ordinal)) name = name[..^".cluster.local".Length];
        if (name.EndsWith(".svc", StringComparison.Ordinal)) name = name[..^".svc".Length];
        var dot = name.IndexOf('.');
        return dot < 0 ? (defaultNamespace, name) : (name[(dot + 1)..], name[..dot]);
    }

    /// <summary>
    /// What the planner reads of a VirtualService, straight from the JSON the watch cache or the API server holds (a look
    /// keeps no tree of its own: a mutable tree per look was ~3 KB per Rollout kept until its next look, 32 MiB at
    /// 10,000). Its strings are shared, as the cache's are.
    /// </summary>
    public static ObservedVirtualService ToObserved(JsonElement vs)
    {
        var spec = Property(vs, "spec");
        var metadata = Property(vs, "metadata");
        var routes = new List<ObservedHttpRoute>();
        foreach (var route in Objects(Property(spec, "http")))
        {
            var destinations = new List<ObservedRouteDestination>();
            foreach (var d in Objects(Property(route, "route")))
            {
                var destination = Property(d, "destination");
                destinations.Add(new ObservedRouteDestination
                {
                    Host = SharedStrings.Get(Property(destination, "host")) ?? "",
                    Subset = SharedStrings.Get(Property(destination, "subset")),
                    Weight = Property(d, "weight") is { ValueKind: JsonValueKind.Number } w ? w.GetInt32() : null,
                });
            }
            routes.Add(new ObservedHttpRoute { Name = SharedStrings.Get(Property(route, "name")), Destinations = destinations });
        }
        return new ObservedVirtualService
        {
            Name = SharedStrings.Get(Property(metadata, "name")) ?? "",
            Namespace = SharedStrings.Get(Property(metadata, "namespace")),
            HttpRoutes = routes,
            HasTlsRoutes = Property(spec, "tls") is { ValueKind: JsonValueKind.Array } tls && tls.GetArrayLength() > 0,
            HasTcpRoutes = Property(spec, "tcp") is { ValueKind: JsonValueKind.Array } tcp && tcp.GetArrayLength() > 0,
        };
    }

    private static JsonElement Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    private static IEnumerable<JsonElement> Objects(JsonElement array) => array.ValueKind == JsonValueKind.Array
        ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)
        : [];

    /// <summary>
    /// Sets the weights in a new tree of <paramref name="vs"/>; returns null when nothing would change.
    /// Destinations match by host up to the first dot; a foreign destination with a non-zero weight is
    /// removed, as Argo does, so the route's weights add up to 100.
    /// </summary>
    public static JsonObject? WithWeights(JsonElement vs, IReadOnlyList<string> routeNames, string canaryHost, string stableHost, int canaryWeight, int stableWeight)
    {
        var copy = SharedJsonTree.ParseObject(JsonMarshal.GetRawUtf8Value(vs));
        var routes = (copy["spec"]?["http"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var selected = routeNames.Count == 0
            ? routes.Take(1)
            : routes.Where(r => routeNames.Contains(r["name"]?.GetValue<string>() ?? ""));

        var changed = false;
        foreach (var route in selected)
        {
            if (route["route"] is not JsonArray destinations) continue;
            foreach (var destination in destinations.OfType<JsonObject>().ToList())
            {
                var host = ShortHost(destination["destination"]?["host"]?.GetValue<string>());
                var current = destination["weight"] is JsonValue w ? w.GetValue<int>() : (int?)null;
                int? desired = host == canaryHost ? canaryWeight : host == stableHost ? stableWeight : null;
                if (desired is null)
                {
                    if (current is > 0) { destinations.Remove(destination); changed = true; }
                }
                else if (current != desired)
                {
                    destination["weight"] = desired.Value;
                    changed = true;
                }
            }
        }
        return changed ? copy : null;
    }

    private static string ShortHost(string? host)
    {
        if (string.IsNullOrEmpty(host)) return "";
        var dot = host.IndexOf('.');
        return dot < 0 ? host : host[..dot];
    }
}
