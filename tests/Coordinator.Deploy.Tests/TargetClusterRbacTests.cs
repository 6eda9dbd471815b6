using Coordinator.Deploy.Tests.Support;
using k8s.Models;

namespace Coordinator.Deploy.Tests;

/// <summary>The RBAC applied in each target cluster grants exactly what the coordinator calls there.</summary>
public sealed class TargetClusterRbacTests
{
    private const string File = Manifests.TargetDir + "/rbac.yaml";

    /// <summary>What the coordinator calls in a target cluster: (api group, resource) → verbs it needs.</summary>
    private static readonly Dictionary<(string Group, string Resource), string[]> Calls = new()
    {
        // get the workloadRef'd Deployment; list/watch all Deployments; patch: set image, undo (JSON patch), scale for safe deletion
        [("apps", "deployments")] = ["get", "list", "watch", "patch"],
        // list/watch (all namespaces, and by label selector in one), create per revision, merge-patch (scale, annotate), delete
        [("apps", "replicasets")] = ["get", "list", "watch", "create", "patch", "delete"],
        // get and merge-patch the stable/canary selectors; watched by the cluster grain
        [("", "services")] = ["get", "list", "watch", "patch"],
        // get + full update (PUT) with resourceVersion; watched by the cluster grain
        [("networking.istio.io", "virtualservices")] = ["get", "list", "watch", "update", "patch"],
        [("", "events")] = ["create"],
        // the owner ConfigMap of each rollout's ReplicaSets: created, data merge-patched, deleted; listed/watched by label
        [("", "configmaps")] = ["get", "list", "watch", "create", "update", "patch", "delete"],
        // blockOwnerDeletion on that owner needs update on its finalizers (OwnerReferencesPermissionEnforcement)
        [("", "configmaps/finalizers")] = ["update"],
        // the rollout tree lists the rollout's pods; canaryMetadata / stableMetadata merge-patch their labels and annotations
        [("", "pods")] = ["get", "list", "watch", "patch"],
        // restartAt evicts pods created before it (never deletes them directly)
        [("", "pods/eviction")] = ["create"],
    };

    private static readonly string[] Reads = ["get", "list", "watch"];

    private static V1ClusterRole Role() => Manifests.Single<V1ClusterRole>(Manifests.TargetDir);

    private static Dictionary<(string Group, string Resource), HashSet<string>> Granted()
    {
        var granted = new Dictionary<(string, string), HashSet<string>>();
        foreach (var rule in Role().Rules)
            foreach (var group in rule.ApiGroups)
                foreach (var resource in rule.Resources)
                {
                    if (!granted.TryGetValue((group, resource), out var verbs)) granted[(group, resource)] = verbs = [];
                    verbs.UnionWith(rule.Verbs);
                }
        return granted;
    }

    [Fact]
    public void Rules_are_exactly_the_coordinators_calls()
    {
        var granted = Granted();
        Assert.Equal(Calls.Keys.Order().ToArray(), granted.Keys.Order().ToArray());
        foreach (var (key, verbs) in Calls)
            Assert.True(verbs.ToHashSet().SetEquals(granted[key]),
                $"{key.Resource}.{key.Group}: granted [{string.Join(", ", granted[key])}], expected [{string.Join(", ", verbs)}]");
    }

    [Fact]
    public void No_wildcards_no_resource_names_no_non_resource_urls_no_aggregation()
    {
        var role = Role();
        Assert.Null(role.AggregationRule);
        foreach (var rule in role.Rules)
        {
            Assert.DoesNotContain("*", rule.Verbs);
            Assert.DoesNotContain("*", rule.Resources);
            Assert.DoesNotContain("*", rule.ApiGroups);
            Assert.True(rule.NonResourceURLs == null || rule.NonResourceURLs.Count == 0);
            Assert.True(rule.ResourceNames == null || rule.ResourceNames.Count == 0);
            // No subresources (deployments/scale, pods/exec, ...): the coordinator patches the objects themselves. The
            // exceptions: configmaps/finalizers, which blockOwnerDeletion on the owner ConfigMap requires, and
            // pods/eviction, through which restartAt restarts pods.
            Assert.All(rule.Resources, r => Assert.True(!r.Contains('/') || r is "configmaps/finalizers" or "pods/eviction", r));
        }
    }

    [Fact]
    public void Writes_are_limited_per_kind()
    {
        var granted = Granted();
        foreach (var key in new[] { ("apps", "deployments"), ("", "services"), ("networking.istio.io", "virtualservices") })
        {
            Assert.DoesNotContain("create", granted[key]);
            Assert.DoesNotContain("delete", granted[key]);
            Assert.DoesNotContain("deletecollection", granted[key]);
            Assert.Contains("patch", granted[key]);
        }
        Assert.DoesNotContain("update", granted[("apps", "deployments")]);
        Assert.DoesNotContain("update", granted[("", "services")]);
        // VirtualServices are written with a full PUT (optimistic concurrency), hence update; the file says why.
        Assert.Contains("update", granted[("networking.istio.io", "virtualservices")]);
        Assert.Contains("PUT", Repo.Read(File));

        var replicaSets = granted[("apps", "replicasets")];
        Assert.Superset(new HashSet<string> { "create", "patch", "delete" }, replicaSets);
        Assert.DoesNotContain("update", replicaSets);
        Assert.DoesNotContain("deletecollection", replicaSets);

        Assert.Equal(new[] { "create" }, granted[("", "events")].ToArray());
        // Read access is all of get/list/watch (informer-style) or none of it.
        foreach (var (key, verbs) in granted)
            Assert.True(Reads.Intersect(verbs).Count() is 0 or 3, $"{key}: partial read access");

        // Pods are read and patched (ephemeral metadata), never created, replaced or deleted; the owner's finalizers only updated.
        Assert.True(granted[("", "pods")].SetEquals(Reads.Append("patch")));
        Assert.Equal(new[] { "update" }, granted[("", "configmaps/finalizers")].ToArray());
        Assert.Equal(new[] { "create" }, granted[("", "pods/eviction")].ToArray());
        Assert.DoesNotContain("deletecollection", granted[("", "configmaps")]);
    }

    [Fact]
    public void Secrets_and_rbac_objects_are_out_of_reach()
    {
        var resources = Granted().Keys.Select(k => k.Resource).ToHashSet();
        foreach (var forbidden in new[] { "secrets", "pods/exec", "pods/log", "namespaces", "serviceaccounts", "roles", "rolebindings", "clusterroles", "clusterrolebindings", "nodes" })
            Assert.DoesNotContain(forbidden, resources);
    }

    [Fact]
    public void The_binding_gives_the_role_to_the_coordinators_service_account_and_only_to_it()
    {
        var account = Manifests.Single<V1ServiceAccount>(Manifests.TargetDir);
        var ns = Manifests.Single<V1Namespace>(Manifests.TargetDir);
        Assert.Equal(ns.Metadata.Name, account.Metadata.NamespaceProperty);
        Assert.False(account.AutomountServiceAccountToken, "nothing runs as this account inside the cluster");

        var binding = Manifests.Single<V1ClusterRoleBinding>(Manifests.TargetDir);
        Assert.Equal("ClusterRole", binding.RoleRef.Kind);
        Assert.Equal("rbac.authorization.k8s.io", binding.RoleRef.ApiGroup);
        Assert.Equal(Role().Metadata.Name, binding.RoleRef.Name);
        var subject = Assert.Single(binding.Subjects);
        Assert.Equal("ServiceAccount", subject.Kind);
        Assert.Equal(account.Metadata.Name, subject.Name);
        Assert.Equal(account.Metadata.NamespaceProperty, subject.NamespaceProperty);

        // A long-lived token for the kubeconfig the coordinator uses.
        var token = Manifests.Single<V1Secret>(Manifests.TargetDir);
        Assert.Equal("kubernetes.io/service-account-token", token.Type);
        Assert.Equal(account.Metadata.NamespaceProperty, token.Metadata.NamespaceProperty);
        Assert.Equal(account.Metadata.Name, token.Metadata.Annotations["kubernetes.io/service-account.name"]);
    }
}
