using System.Text;

namespace Coordinator.KubeSim.Hosting;

/// <summary>
/// Writes a kubeconfig for the simulated clusters. The user carries <c>token: kubesim</c> because
/// KubernetesClient rejects a user without credentials (kubectl would accept <c>user: {}</c>); with RBAC on, that token is
/// cluster-admin, and another token (a ServiceAccount's) makes a kubeconfig acting as that account.
/// </summary>
internal static class Kubeconfig
{
    public const string UserName = "kubesim";

    public static string Build(IReadOnlyCollection<SimCluster> clusters, string? currentContext, string token = UserName)
    {
        var sb = new StringBuilder();
        sb.AppendLine("apiVersion: v1");
        sb.AppendLine("kind: Config");
        sb.AppendLine(clusters.Count == 0 ? "clusters: []" : "clusters:");
        foreach (var c in clusters)
        {
            sb.AppendLine($"- name: {c.Name}");
            sb.AppendLine("  cluster:");
            sb.AppendLine($"    server: {c.ServerUrl}");
        }
        sb.AppendLine(clusters.Count == 0 ? "contexts: []" : "contexts:");
        foreach (var c in clusters)
        {
            sb.AppendLine($"- name: {c.Name}");
            sb.AppendLine("  context:");
            sb.AppendLine($"    cluster: {c.Name}");
            sb.AppendLine($"    user: {UserName}");
            sb.AppendLine("    namespace: default");
        }
        var current = currentContext ?? clusters.FirstOrDefault()?.Name;
        if (current != null) sb.AppendLine($"current-context: {current}");
        sb.AppendLine("users:");
        sb.AppendLine($"- name: {UserName}");
        sb.AppendLine("  user:");
        sb.AppendLine($"    token: {token}");
        sb.AppendLine("preferences: {}");
        return sb.ToString();
    }
}
