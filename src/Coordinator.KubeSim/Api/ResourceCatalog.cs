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

    public static readonly ResourceType Secrets = new()
    {
        Group = "", Versions = ["v1"], Plural = "secrets", Singular = "secret", Kind = "Secret", HasStatusSubresource = false,
    };
    public static readonly ResourceType ServiceAccounts = new()
    {
        Group = "", Versions = ["v1"], Plural = "serviceaccounts", Singular = "serviceaccount", Kind = "ServiceAccount", ShortNames = ["sa"],
        HasStatusSubresource = false,
    };
    public static readonly ResourceType CustomResourceDefinitions = new()
    {
        Group = "apiextensions.k8s.io", Versions = ["v1"], Plural = "customresourcedefinitions", Singular = "customresourcedefinition",
        Kind = "CustomResourceDefinition", Namespaced = false, ShortNames = ["crd", "crds"], Categories = ["api-extensions"], HasGeneration = true,
    };
    public static readonly ResourceType Roles = Rbac("roles", "role", "Role", namespaced: true);
    public static readonly ResourceType ClusterRoles = Rbac("clusterroles", "clusterrole", "ClusterRole", namespaced: false);
    public static readonly ResourceType RoleBindings = Rbac("rolebindings", "rolebinding", "RoleBinding", namespaced: true);
    public static readonly ResourceType ClusterRoleBindings = Rbac("clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", namespaced: false);

    /// <summary>The built-in resources, in discovery order; a cluster adds those its CustomResourceDefinitions define.</summary>
    public static readonly ResourceType[] All =
    [
        Namespaces, Pods, Services, Events, ConfigMaps, Secrets, ServiceAccounts, Deployments, ReplicaSets,
        CustomResourceDefinitions, Roles, ClusterRoles, RoleBindings, ClusterRoleBindings, VirtualServices, DestinationRules,
    ];

    private static ResourceType Rbac(string plural, string singular, string kind, bool namespaced) => new()
    {
        Group = "rbac.authorization.k8s.io", Versions = ["v1"], Plural = plural, Singular = singular, Kind = kind, Namespaced = namespaced,
        HasStatusSubresource = false,
    };
}
