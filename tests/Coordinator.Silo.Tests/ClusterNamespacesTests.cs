using Coordinator.Silo.Configuration;
using Microsoft.Extensions.Configuration;

namespace Coordinator.Silo.Tests;

/// <summary><c>Coordinator:Clusters[i]:Namespaces</c>: bound from configuration into the cluster's definition, bad names refused by field.</summary>
public sealed class ClusterNamespacesTests
{
    private static CoordinatorOptions Bind(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build()
            .GetSection(CoordinatorOptions.Section).Get<CoordinatorOptions>()!;

    [Fact]
    public void Namespaces_reach_the_cluster_definition_and_default_to_all()
    {
        var options = Bind(
            ("Coordinator:Clusters:0:Name", "prod"), ("Coordinator:Clusters:0:Server", "https://prod.example.com"),
            ("Coordinator:Clusters:0:Namespaces:0", "payments"), ("Coordinator:Clusters:0:Namespaces:1", "checkout"),
            ("Coordinator:Clusters:1:Name", "dev"), ("Coordinator:Clusters:1:Server", "https://dev.example.com"));
        var clusters = ClusterConfiguration.FromOptions(options, _ => throw new InvalidOperationException("no simulated cluster here"));
        Assert.Equal(["payments", "checkout"], clusters.Single(c => c.Name == "prod").Namespaces);
        Assert.Empty(clusters.Single(c => c.Name == "dev").Namespaces);
    }

    [Fact]
    public void A_namespace_that_is_not_a_dns_label_is_refused_naming_the_field()
    {
        var options = Bind(
            ("Coordinator:Clusters:0:Name", "prod"), ("Coordinator:Clusters:0:Server", "https://prod.example.com"),
            ("Coordinator:Clusters:0:Namespaces:0", "payments"), ("Coordinator:Clusters:0:Namespaces:1", "Check_Out"));
        var error = Assert.Throws<InvalidOperationException>(() => ClusterConfiguration.FromOptions(options, _ => new Uri("http://unused")));
        Assert.StartsWith("Coordinator:Clusters:0:Namespaces:1: \"Check_Out\": a lowercase RFC 1123 label", error.Message);
    }
}
