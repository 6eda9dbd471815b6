namespace Coordinator.Kubernetes.Clusters.Resilience;

/// <summary>What kind of Kubernetes request a message is, from its URL alone.</summary>
internal static class KubernetesRequests
{
    /// <summary>A watch (<c>?watch=true</c>) or a followed log: a response meant to stay open.</summary>
    public static bool IsStreaming(HttpRequestMessage request)
    {
        var query = request.RequestUri?.Query;
        if (string.IsNullOrEmpty(query)) return false;
        foreach (var part in query.TrimStart('?').Split('&'))
            if (part is "watch=true" or "watch=1" or "follow=true" or "follow=1") return true;
        return false;
    }
}
