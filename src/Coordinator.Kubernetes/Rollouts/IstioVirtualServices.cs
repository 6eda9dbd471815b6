using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Domain.Observation;
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

    /// <summary>Writes <paramref name="vs"/> whole (its resourceVersion is the precondition); returns what the server stored.</summary>
    public static Task<JsonElement> ReplaceAsync(IKubernetes client, JsonObject vs, CancellationToken ct)
    {
        var ns = vs["metadata"]?["namespace"]?.GetValue<string>() ?? "";
        var name = vs["metadata"]?["name"]?.GetValue<string>() ?? "";
        return KubernetesCalls.RunAsync($"update virtualservice {ns}/{name}",
            c => client.CustomObjects.ReplaceNamespacedCustomObjectAsync<JsonElement>(vs, Group, Version, ns, Plural, name, cancellationToken: c), ct);
    }

    /// <summary><c>name.namespace</c> (optionally with <c>.svc.cluster.local</c>) or a plain name.</summary>
    public static (string Namespace, string Name) SplitName(string name, string defaultNamespace)
    {
        if (name.EndsWith(".cluster.local", StringComparison.Ordinal)) name = name[..^".cluster.local".Length];
        if (name.EndsWith(".svc", StringComparison.Ordinal)) name = name[..^".svc".Length];
        var dot = name.IndexOf('.');
        return dot < 0 ? (defaultNamespace, name) : (name[(dot + 1)..], name[..dot]);
    }

    public static ObservedVirtualService ToObserved(JsonObject vs)
    {
        var spec = vs["spec"] as JsonObject;
        var routes = (spec?["http"] as JsonArray ?? []).OfType<JsonObject>().Select(route => new ObservedHttpRoute
        {
            Name = route["name"]?.GetValue<string>(),
            Destinations = (route["route"] as JsonArray ?? []).OfType<JsonObject>().Select(d => new ObservedRouteDestination
            {
                Host = d["destination"]?["host"]?.GetValue<string>() ?? "",
                Subset = d["destination"]?["subset"]?.GetValue<string>(),
                Weight = d["weight"] is JsonValue w ? w.GetValue<int>() : null,
            }).ToList(),
        }).ToList();
        return new ObservedVirtualService
        {
            Name = vs["metadata"]?["name"]?.GetValue<string>() ?? "",
            Namespace = vs["metadata"]?["namespace"]?.GetValue<string>(),
            HttpRoutes = routes,
            HasTlsRoutes = spec?["tls"] is JsonArray { Count: > 0 },
            HasTcpRoutes = spec?["tcp"] is JsonArray { Count: > 0 },
        };
    }

    /// <summary>
    /// Sets the weights in a copy of <paramref name="vs"/>; returns null when nothing would change.
    /// Destinations match by host up to the first dot; a foreign destination with a non-zero weight is
    /// removed, as Argo does, so the route's weights add up to 100.
    /// </summary>
    public static JsonObject? WithWeights(JsonObject vs, IReadOnlyList<string> routeNames, string canaryHost, string stableHost, int canaryWeight, int stableWeight)
    {
        var copy = vs.DeepClone().AsObject();
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
