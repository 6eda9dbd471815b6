using Coordinator.Domain.Observation;
using Coordinator.Domain.State;

namespace Coordinator.Domain.Planning;

/// <summary>How Argo's Istio router names VirtualServices, picks routes and matches destinations (§1.2, §3.8).</summary>
public static class IstioRoutes
{
    /// <summary>The configured VirtualService references (single or list form).</summary>
    public static IReadOnlyList<(IstioVirtualServiceRef Ref, string Path)> References(RolloutSpec spec)
    {
        var istio = spec.Strategy.Canary?.TrafficRouting?.Istio;
        if (istio is null)
        {
            return [];
        }

        const string basePath = "spec.strategy.canary.trafficRouting.istio";
        if (istio.VirtualService is { } single)
        {
            return [(single, $"{basePath}.virtualService")];
        }

        return [.. istio.VirtualServices.Select((vs, i) => (vs, $"{basePath}.virtualServices[{i}]"))];
    }

    /// <summary><c>name</c> or <c>name.namespace</c>; a trailing <c>.cluster.local</c>-style suffix beyond the namespace is dropped.</summary>
    public static (string Name, string Namespace) ResolveName(string configuredName, string rolloutNamespace)
    {
        var parts = configuredName.Split('.');
        return parts.Length >= 2 ? (parts[0], parts[1]) : (configuredName, rolloutNamespace);
    }

    /// <summary>A destination host matches a Service when the host up to its first dot equals the Service name.</summary>
    public static bool HostMatches(string host, string service) => host.Split('.')[0] == service;

    /// <summary>
    /// The HTTP routes to patch: those named in <c>routes</c>; if none are named, the only HTTP route. Returns an
    /// error text (Argo's, unwrapped) when a named route is missing or the unnamed case is ambiguous.
    /// </summary>
    public static (IReadOnlyList<ObservedHttpRoute> Routes, string? Error) SelectHttpRoutes(IstioVirtualServiceRef reference, ObservedVirtualService vs)
    {
        if (reference.Routes.IsDefaultOrEmpty)
        {
            return vs.HttpRoutes.Count == 1
                ? ([vs.HttpRoutes[0]], null)
                : ([], Validation.ValidationMessages.SingleHttpRouteRequired);
        }

        var selected = new List<ObservedHttpRoute>();
        foreach (var name in reference.Routes)
        {
            var route = vs.HttpRoutes.FirstOrDefault(r => r.Name == name);
            if (route is null)
            {
                return ([], string.Format(System.Globalization.CultureInfo.InvariantCulture, Validation.ValidationMessages.HttpRouteNotFound, name));
            }

            selected.Add(route);
        }

        return (selected, null);
    }

    /// <summary>The observed weight of <paramref name="service"/> in a route (omitted weight counts as 100 for a lone destination, else 0).</summary>
    public static int? ObservedWeight(ObservedHttpRoute route, string service)
    {
        var destination = route.Destinations.FirstOrDefault(d => HostMatches(d.Host, service));
        if (destination is null)
        {
            return null;
        }

        return destination.Weight ?? (route.Destinations.Count == 1 ? 100 : 0);
    }
}
