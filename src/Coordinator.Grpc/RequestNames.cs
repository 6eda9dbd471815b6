using Coordinator.Domain.Manifest;

namespace Coordinator.Grpc;

/// <summary>The name and namespace fields of requests, checked as the apiserver checks them, before any grain is called.</summary>
internal static class RequestNames
{
    public static void RolloutName(string name, string field = "name")
    {
        if (string.IsNullOrWhiteSpace(name)) throw CommandErrors.Invalid(field, "must not be empty");
        if (KubernetesNames.SubdomainError(name) is { } error) throw CommandErrors.Invalid(field, error);
    }

    /// <summary>An empty namespace is allowed: it means the default (or, when listing, every namespace).</summary>
    public static void Namespace(string? ns, string field = "namespace")
    {
        if (!string.IsNullOrEmpty(ns) && KubernetesNames.LabelError(ns) is { } error) throw CommandErrors.Invalid(field, error);
    }

    /// <summary>
    /// Cluster names come from configuration (kubeconfig context names may hold capitals, '_', ':' or '@'), so only what no
    /// configured cluster can be called is refused here: a '/' (it separates the grain key), control characters, or
    /// more than a subdomain's 253 characters. Unknown names are the target resolver's to refuse.
    /// </summary>
    public static void Cluster(string name, string field = "target.clusters")
    {
        if (name.Length > KubernetesNames.MaxSubdomainLength)
            throw CommandErrors.Invalid(field, $"Invalid value: {KubernetesNames.Quote(name)}: must be no more than {KubernetesNames.MaxSubdomainLength} characters");
        if (name.Contains('/') || name.Any(char.IsControl))
            throw CommandErrors.Invalid(field, $"Invalid value: {KubernetesNames.Quote(name)}: a cluster name cannot contain '/' or control characters");
    }
}
