using Coordinator.Domain.Fleet;
using Coordinator.Testing;
using static Coordinator.Domain.Tests.Fleet.FleetFixtures;

namespace Coordinator.Domain.Tests.Fleet;

/// <summary>deploy/examples/fleet: every file parses, validates and resolves against the embedded fleet.</summary>
public sealed class FleetExampleTests
{
    private static readonly string Directory = Repository.PathOf("deploy/examples/fleet");

    private static IEnumerable<string> Files => System.IO.Directory.GetFiles(Directory, "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal);

    public static TheoryData<string> Examples => [.. Files];

    private static FleetManifest Example(string file) => Parse(File.ReadAllText(Path.Combine(Directory, file)));

    [Theory]
    [MemberData(nameof(Examples))]
    public void Every_example_parses_validates_and_resolves_against_the_embedded_fleet(string file)
    {
        var manifest = Example(file);

        Assert.Equal(Path.GetFileNameWithoutExtension(file), manifest.Name);
        Assert.Null(FleetValidator.Validate(manifest.Spec, manifest.Name).Message);
        var resolution = FleetWaves.Resolve(manifest.Spec, EmbeddedFleet, new HashSet<string> { "dev", "staging", "prod" });
        Assert.True(resolution.IsValid, resolution.Error?.ToString());
        Assert.Equal(["dev", "staging", "prod"], resolution.Plan!.Clusters);
    }

    [Fact]
    public void The_examples_are_the_two_the_demo_and_the_docs_use()
    {
        Assert.Equal(["bad-release.yaml", "demo-yellow.yaml"], Files);
    }

    [Fact]
    public void Demo_yellow_carries_the_seed_change_through_dev_staging_and_prod_with_a_bake_time()
    {
        var spec = Example("demo-yellow.yaml").Spec;
        var plan = FleetWaves.Resolve(spec, EmbeddedFleet, null).Plan!;

        Assert.Equal(new FleetRolloutRef("rollouts-demo", "test"), spec.Rollout);
        Assert.Contains("\"image\":\"argoproj/rollouts-demo:yellow\"", spec.TemplatePatchJson);
        Assert.Equal([["dev"], ["staging"], ["prod"]], plan.Waves.Select(w => w.Clusters));
        Assert.All(plan.Waves.SkipLast(1), wave => Assert.True(wave.BakeTime > TimeSpan.Zero));
    }

    [Fact]
    public void Bad_release_ships_the_red_image_and_reverts_on_failure()
    {
        var spec = Example("bad-release.yaml").Spec;
        var plan = FleetWaves.Resolve(spec, EmbeddedFleet, null).Plan!;

        Assert.Contains("\"image\":\"argoproj/rollouts-demo:red\"", spec.TemplatePatchJson);
        Assert.Equal(FailurePolicy.Revert, spec.OnFailure);
        Assert.Equal(0, plan.RunFailureBudget);
        Assert.Equal([["dev"], ["staging"], ["prod"]], plan.Waves.Select(w => w.Clusters));
    }
}
