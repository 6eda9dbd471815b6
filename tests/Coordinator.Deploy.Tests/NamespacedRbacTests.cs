using Coordinator.Deploy.Tests.Support;
using k8s.Models;

namespace Coordinator.Deploy.Tests;

/// <summary>
/// deploy/kubernetes/target-cluster/namespaced: the least-privilege variant for a cluster managed in some namespaces only
/// (Coordinator:Clusters[i]:Namespaces). Per namespace it grants exactly what the cluster-wide ClusterRole grants, and
/// nothing cluster-scoped.
/// </summary>
public sealed class NamespacedRbacTests
{
    /// <summary>
    /// The owner object's rules (config-names.md, helper "owner"), which that helper adds to the cluster-wide ClusterRole
    /// (../rbac.yaml) in its own branch: the union keeps this test right before and after both are merged.
    /// </summary>
    private static readonly Dictionary<(string Group, string Resource), string[]> OwnerRules = new()
    {
        [("", "configmaps")] = ["get", "list", "watch", "create", "update", "patch", "delete"],
        [("", "configmaps/finalizers")] = ["update"],
        [("", "pods")] = ["get", "list", "watch", "patch"],
        [("", "pods/eviction")] = ["create"],
    };

    private static IReadOnlyList<ManifestObject> Objects() => Manifests.LoadDir(Manifests.NamespacedTargetDir);

    private static Dictionary<(string Group, string Resource), SortedSet<string>> Flatten(IEnumerable<V1PolicyRule> rules)
    {
        var granted = new Dictionary<(string, string), SortedSet<string>>();
        foreach (var rule in rules)
        {
            Assert.True(rule.ResourceNames is null or { Count: 0 } && rule.NonResourceURLs is null or { Count: 0 }, "unexpected resourceNames / nonResourceURLs");
            foreach (var group in rule.ApiGroups)
                foreach (var resource in rule.Resources)
                {
                    if (!granted.TryGetValue((group, resource), out var verbs)) granted[(group, resource)] = verbs = new SortedSet<string>(StringComparer.Ordinal);
                    verbs.UnionWith(rule.Verbs);
                }
        }
        return granted;
    }

    [Fact]
    public void The_role_grants_exactly_the_cluster_wide_rules()
    {
        var expected = Flatten(Manifests.Single<V1ClusterRole>(Manifests.TargetDir).Rules);
        foreach (var ((group, resource), verbs) in OwnerRules)
        {
            if (!expected.TryGetValue((group, resource), out var set)) expected[(group, resource)] = set = new SortedSet<string>(StringComparer.Ordinal);
            set.UnionWith(verbs);
        }
        var role = Manifests.Single<V1Role>(Manifests.NamespacedTargetDir);
        var granted = Flatten(role.Rules);

        Assert.Equal(expected.Keys.Order(), granted.Keys.Order());
        foreach (var (key, verbs) in expected)
            Assert.True(verbs.SetEquals(granted[key]), $"{key}: expected {string.Join(",", verbs)}, granted {string.Join(",", granted[key])}");
        Assert.DoesNotContain(role.Rules, r => r.Verbs.Contains("*") || r.Resources.Contains("*") || r.ApiGroups.Contains("*"));
    }

    [Fact]
    public void Role_and_binding_take_the_namespace_they_are_applied_in_and_bind_the_coordinator_account()
    {
        var role = Manifests.Single<V1Role>(Manifests.NamespacedTargetDir);
        var binding = Manifests.Single<V1RoleBinding>(Manifests.NamespacedTargetDir);
        // No namespace in the file: `kubectl -n <managed namespace> apply -f role.yaml`, once per managed namespace.
        Assert.Null(role.Metadata.NamespaceProperty);
        Assert.Null(binding.Metadata.NamespaceProperty);
        Assert.Equal(("Role", role.Metadata.Name), (binding.RoleRef.Kind, binding.RoleRef.Name));

        var account = Manifests.Single<V1ServiceAccount>(Manifests.NamespacedTargetDir);
        var subject = Assert.Single(binding.Subjects);
        Assert.Equal(("ServiceAccount", account.Metadata.Name, account.Metadata.NamespaceProperty), (subject.Kind, subject.Name, subject.NamespaceProperty));
        Assert.False(account.AutomountServiceAccountToken);
        Assert.Equal(account.Metadata.NamespaceProperty, Manifests.Single<V1Namespace>(Manifests.NamespacedTargetDir).Metadata.Name);
    }

    [Fact]
    public void Nothing_cluster_scoped_is_granted_and_no_token_secret_is_created()
    {
        Assert.Equal(new[] { "Namespace", "Role", "RoleBinding", "ServiceAccount" }, Objects().Select(o => o.Kind).Order(StringComparer.Ordinal).ToArray());
    }
}
