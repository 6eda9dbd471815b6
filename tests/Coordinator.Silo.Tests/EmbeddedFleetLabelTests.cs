using Coordinator.Silo.Configuration;

namespace Coordinator.Silo.Tests;

/// <summary>The embedded fleet's clusters carry region, env and tier labels, in the registry and in KubeSim, so a fleet selector works out of the box.</summary>
public sealed class EmbeddedFleetLabelTests(SiloFixture silo) : IClassFixture<SiloFixture>
{
    [Fact]
    public async Task Rolloutctl_clusters_shows_region_env_and_tier_of_the_embedded_fleet()
    {
        var result = await silo.CliAsync("clusters");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("env=dev,region=europe-west1,tier=web", result.Stdout);
        Assert.Contains("env=staging,region=europe-west1,tier=web", result.Stdout);
        Assert.Contains("env=prod,region=us-east1,tier=web", result.Stdout);
        Assert.Equal("web", silo.Fleet["prod"].Labels["tier"]);
        Assert.Equal("us-east1", silo.Fleet["prod"].Labels["region"]);
    }

    [Fact]
    public void The_default_fleet_is_labelled_and_the_tier_is_configurable()
    {
        var options = new CoordinatorOptions { EmbeddedFleet = new EmbeddedFleetOptions { Tier = "api" } };

        var clusters = ClusterConfiguration.SimulatedClusters(options);

        Assert.Equal(["dev", "staging", "prod"], clusters.Select(c => c.Name));
        Assert.All(clusters, c => Assert.Equal(new Dictionary<string, string> { ["region"] = c.Labels["region"], ["env"] = c.Name, ["tier"] = "api" }, c.Labels));
    }
}
