using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;
using Coordinator.KubeSim.Controllers;
using Coordinator.KubeSim.Store;

namespace Coordinator.KubeSim.Traffic;

/// <summary>Where requests for a host land right now: share per container image, and the share that fails (503).</summary>
public sealed record TrafficSnapshot(IReadOnlyDictionary<string, double> ShareByImage, double ErrorShare, int TotalWeight)
{
    public double ShareOf(string image) => ShareByImage.TryGetValue(image, out var s) ? s : 0;
}

/// <summary>
/// Computes the traffic split the way Istio would route it: the first HTTP route of each VirtualService that
/// lists the host (the seed and Argo Rollouts use one route; later routes only matter for header matches, which
/// a weight view cannot express), split by destination weight; each destination host names a Service in the
/// namespace; a destination's share is spread evenly over the Ready pods its Service selects, grouped by the
/// pod's main image (first container that is not istio-proxy). A weighted destination without Ready pods errors.
/// </summary>
internal static class TrafficView
{
    public static TrafficSnapshot Compute(ObjectStore store, string ns, string host)
    {
        var shares = new Dictionary<string, double>(StringComparer.Ordinal);
        var destinations = new List<(string Service, double Weight)>();
        foreach (var vs in store.List(ResourceCatalog.VirtualServices, ns, null, null, out _))
        {
            var obj = JsonFields.ParseObject(vs.Json);
            if (JsonFields.Arr(obj, "spec", "hosts")?.Any(h => h?.ToString() == host) != true) continue;
            var route = JsonFields.Arr(obj, "spec", "http")?.FirstOrDefault() as JsonObject;
            var targets = route?["route"] as JsonArray;
            if (targets == null) continue;
            foreach (var t in targets.OfType<JsonObject>())
            {
                var weight = JsonFields.Long(t, "weight") ?? (targets.Count == 1 ? 100 : 0);
                destinations.Add((ServiceName(JsonFields.Str(t["destination"], "host") ?? "", ns), weight));
            }
        }
        var total = destinations.Sum(d => d.Weight);
        if (total <= 0) return new TrafficSnapshot(shares, destinations.Count == 0 ? 1 : 0, 0);

        double errors = 0;
        foreach (var (service, weight) in destinations.Where(d => d.Weight > 0))
        {
            var share = weight / total;
            var images = ReadyPodImages(store, ns, service);
            if (images.Count == 0)
            {
                errors += share;
                continue;
            }
            foreach (var image in images) shares[image] = shares.GetValueOrDefault(image) + share / images.Count;
        }
        return new TrafficSnapshot(shares, errors, (int)total);
    }

    /// <summary>"rollouts-demo.test.svc.cluster.local" and "rollouts-demo.test" both mean Service rollouts-demo.</summary>
    private static string ServiceName(string host, string ns)
    {
        foreach (var suffix in new[] { $".{ns}.svc.cluster.local", $".{ns}.svc", $".{ns}" })
        {
            if (host.EndsWith(suffix, StringComparison.Ordinal)) return host[..^suffix.Length];
        }
        return host;
    }

    /// <summary>One entry per Ready pod selected by the Service: its main image.</summary>
    private static List<string> ReadyPodImages(ObjectStore store, string ns, string serviceName)
    {
        var images = new List<string>();
        var svc = store.Get(ResourceCatalog.Services, ns, serviceName);
        if (svc == null) return images;
        var selectorMap = JsonFields.StringMap(JsonFields.Obj(JsonFields.ParseObject(svc.Json), "spec", "selector"));
        if (selectorMap == null) return images;
        foreach (var pod in store.List(ResourceCatalog.Pods, ns, null, null, out _))
        {
            if (!selectorMap.All(kv => pod.Label(kv.Key) == kv.Value)) continue;
            var obj = JsonFields.ParseObject(pod.Json);
            if (!PodLifecycle.IsReady(obj)) continue;
            var main = JsonFields.Arr(obj, "spec", "containers")?.FirstOrDefault(c => JsonFields.Str(c, "name") != "istio-proxy");
            images.Add(JsonFields.Str(main, "image") ?? "");
        }
        return images;
    }
}
