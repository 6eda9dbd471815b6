namespace Coordinator.KubeSim.Api;

/// <summary>The fixed set of resources every simulated cluster serves.</summary>
internal static class ResourceCatalog
{
    public static readonly ResourceType Namespaces = new()
    {
        Group = "", Versions = ["v1"], Plural = "namespaces", Singular = "namespace", Kind = "Namespace",
        Namespaced = false, ShortNames = ["ns"],
    };
    public static readonly ResourceType Pods = new()
    {
        Group = "", Versions = ["v1"], Plural = "pods", Singular = "pod", Kind = "Pod", ShortNames = ["po"], Categories = ["all"],
    };
    public static readonly ResourceType Services = new()
    {
        Group = "", Versions = ["v1"], Plural = "services", Singular = "service", Kind = "Service", ShortNames = ["svc"], Categories = ["all"],
    };
    public static readonly ResourceType Events = new()
    {
        Group = "", Versions = ["v1"], Plural = "events", Singular = "event", Kind = "Event", ShortNames = ["ev"], HasStatusSubresource = false,
    };
    public static readonly ResourceType ConfigMaps = new()
    {
        Group = "", Versions = ["v1"], Plural = "configmaps", Singular = "configmap", Kind = "ConfigMap", ShortNames = ["cm"], HasStatusSubresource = false,
    };
    public static readonly ResourceType Deployments = new()
    {
        Group = "apps", Versions = ["v1"], Plural = "deployments", Singular = "deployment", Kind = "Deployment",
        ShortNames = ["deploy"], Categories = ["all"], HasGeneration = true, HasScaleSubresource = true,
    };
    public static readonly ResourceType ReplicaSets = new()
    {
        Group = "apps", Versions = ["v1"], Plural = "replicasets", Singular = "replicaset", Kind = "ReplicaSet",
        ShortNames = ["rs"], Categories = ["all"], HasGeneration = true, HasScaleSubresource = true,
    };
    public static readonly ResourceType VirtualServices = new()
    {
        Group = "networking.istio.io", Versions = ["v1", "v1beta1", "v1alpha3"], Plural = "virtualservices", Singular = "virtualservice",
        Kind = "VirtualService", ShortNames = ["vs"], Categories = ["istio-io", "networking-istio-io"], IsCustomResource = true, HasGeneration = true,
    };
    public static readonly ResourceType DestinationRules = new()
    {
        Group = "networking.istio.io", Versions = ["v1", "v1beta1", "v1alpha3"], Plural = "destinationrules", Singular = "destinationrule",
        Kind = "DestinationRule", ShortNames = ["dr"], Categories = ["istio-io", "networking-istio-io"], IsCustomResource = true, HasGeneration = true,
    };

    public static readonly ResourceType[] All = [Namespaces, Pods, Services, Events, ConfigMaps, Deployments, ReplicaSets, VirtualServices, DestinationRules];

    /// <summary>API groups in discovery order; "" is the legacy core group.</summary>
    public static readonly string[] Groups = ["", "apps", "networking.istio.io"];

    public static IEnumerable<ResourceType> InGroupVersion(string group, string version)
    {
        foreach (var t in All)
        {
            if (t.Group == group && Array.IndexOf(t.Versions, version) >= 0) yield return t;
        }
    }

    public static string[] VersionsOf(string group) => All.First(t => t.Group == group).Versions;

    public static ResourceType? FindByPlural(string group, string version, string plural)
    {
        foreach (var t in All)
        {
            if (t.Plural == plural && t.Group == group && Array.IndexOf(t.Versions, version) >= 0) return t;
        }
        return null;
    }

    /// <summary>Resolves what a C# caller names a resource: plural, singular, kind, short name, optionally ".group".</summary>
    public static ResourceType Resolve(string name)
    {
        foreach (var t in All)
        {
            if (Matches(t, name) || (t.Group.Length > 0 && name.EndsWith("." + t.Group, StringComparison.Ordinal)
                    && Matches(t, name[..^(t.Group.Length + 1)])))
            {
                return t;
            }
        }
        throw new ArgumentException($"KubeSim does not serve a resource named '{name}'", nameof(name));
    }

    private static bool Matches(ResourceType t, string n) =>
        string.Equals(t.Plural, n, StringComparison.OrdinalIgnoreCase) || string.Equals(t.Singular, n, StringComparison.OrdinalIgnoreCase)
        || string.Equals(t.Kind, n, StringComparison.OrdinalIgnoreCase) || t.ShortNames.Contains(n, StringComparer.OrdinalIgnoreCase);
}
