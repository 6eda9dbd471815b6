using Coordinator.Deploy.Tests.Support;
using k8s.Models;

namespace Coordinator.Deploy.Tests;

/// <summary>Every YAML document under deploy/ (but the seed scenario) loads with KubernetesClient's strict YAML loader.</summary>
public sealed class ManifestParsingTests
{
    public static TheoryData<string> ManifestFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Manifests.Files()) data.Add(file);
        return data;
    }

    [Theory]
    [MemberData(nameof(ManifestFiles))]
    public void Every_document_loads_strictly_with_name_apiVersion_and_kind(string file)
    {
        var objects = Manifests.Load(file); // throws on an unknown apiVersion/kind or an unknown field
        Assert.NotEmpty(objects);
        foreach (var o in objects)
        {
            Assert.False(string.IsNullOrEmpty(o.Object.ApiVersion), $"{o}: apiVersion");
            Assert.False(string.IsNullOrEmpty(o.Kind), $"{o}: kind");
            Assert.Matches("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", o.Name);
        }
    }

    [Fact]
    public void The_expected_files_hold_the_expected_kinds()
    {
        string[] Kinds(string dir) => Manifests.LoadDir(dir).Select(o => o.Kind).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(
            new[] { "ConfigMap", "ConfigMap", "Deployment", "Namespace", "NetworkPolicy", "NetworkPolicy", "NetworkPolicy", "PodDisruptionBudget", "Role", "RoleBinding", "Service", "ServiceAccount" },
            Kinds(Manifests.SiloDir));
        Assert.Equal(
            new[] { "ClusterRole", "ClusterRoleBinding", "Namespace", "Secret", "ServiceAccount" },
            Kinds(Manifests.TargetDir));
        Assert.Equal(new[] { "Namespace", "Role", "RoleBinding", "ServiceAccount" }, Kinds(Manifests.NamespacedTargetDir));
        Assert.Equal(Enumerable.Repeat("Secret", 7), Kinds(Manifests.ExamplesDir));
    }

    [Fact]
    public void Silo_manifests_apply_in_file_order_namespace_first_and_all_live_in_it()
    {
        var files = Manifests.Files().Where(f => f.StartsWith(Manifests.SiloDir + "/", StringComparison.Ordinal)).ToList();
        // `kubectl apply -f dir` goes in file-name order: the Namespace must come first.
        Assert.Equal("Namespace", Manifests.Load(files[0]).Single().Kind);
        var ns = Manifests.Single<V1Namespace>(Manifests.SiloDir).Metadata.Name;
        foreach (var o in Manifests.LoadDir(Manifests.SiloDir).Concat(Manifests.LoadDir(Manifests.ExamplesDir)).Where(o => o.Kind != "Namespace"))
            Assert.True(o.Object.Metadata.NamespaceProperty == ns, $"{o}: namespace '{o.Object.Metadata.NamespaceProperty}', expected '{ns}'");
    }

    [Fact]
    public void No_document_carries_a_real_credential()
    {
        foreach (var secret in Manifests.LoadTree("deploy").Select(o => o.Object).OfType<V1Secret>())
        {
            Assert.True(secret.Data == null || secret.Data.Count == 0, $"{secret.Metadata.Name}: data must be filled by the cluster or by kubectl create secret");
            foreach (var (key, value) in secret.StringData ?? new Dictionary<string, string>())
                Assert.True(value.Contains("REPLACE", StringComparison.Ordinal), $"{secret.Metadata.Name}/{key} must be a placeholder");
        }
    }
}
