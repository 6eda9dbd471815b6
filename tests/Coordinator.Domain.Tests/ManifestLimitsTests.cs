using System.Diagnostics;
using Coordinator.Domain.Manifest;
using Coordinator.Domain.Tests.Support;
using Coordinator.Testing;

namespace Coordinator.Domain.Tests;

/// <summary>Hostile manifests are refused while they are read, quickly and in bounded memory, naming the limit.</summary>
public sealed class ManifestLimitsTests
{
    private const string Header = "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: lol}\n";

    public static TheoryData<string, string, string> Hostile => new()
    {
        { "billion laughs", HostileManifests.BillionLaughs(), "more than 10000 YAML nodes (aliases expanded) at line 8 (Coordinator:Limits:MaxYamlNodes)" },
        { "many aliases", HostileManifests.ManyAliases(101), "more than 100 YAML aliases at line 5 (Coordinator:Limits:MaxYamlAliases)" },
        { "deep flow sequence", HostileManifests.DeepYamlSequences(100_000), "nesting deeper than 64 levels at line 1 (Coordinator:Limits:MaxNestingDepth)" },
        { "deep flow mapping", HostileManifests.DeepYamlMappings(50_000), "nesting deeper than 64 levels at line 4 (Coordinator:Limits:MaxNestingDepth)" },
        { "deep block mapping", string.Concat(Enumerable.Range(0, 100).Select(i => new string(' ', i) + "a:\n")) + new string(' ', 100) + "1\n", "nesting deeper than 64 levels at line 65 (Coordinator:Limits:MaxNestingDepth)" },
        { "deep JSON", HostileManifests.DeepJson(100_000), "nesting deeper than 64 levels at line 2 (Coordinator:Limits:MaxNestingDepth)" },
        { "deep JSON array", "{\"a\":" + new string('[', 100_000) + new string(']', 100_000) + "}", "nesting deeper than 64 levels at line 1 (Coordinator:Limits:MaxNestingDepth)" },
        { "alias nested deeper than the limit", Header + "x: &x " + new string('[', 60) + new string(']', 60) + "\ny: [[[[[[*x]]]]]]\nspec: {}\n", "nesting deeper than 64 levels (through an alias) at line 5 (Coordinator:Limits:MaxNestingDepth)" },
        { "oversize", HostileManifests.Oversize(1_572_864), "1572864 bytes exceeds the limit of 1048576 bytes (Coordinator:Limits:MaxManifestBytes)" },
        { "too many steps", HostileManifests.Steps(101), "spec.strategy.canary.steps: 101 steps exceed the limit of 100 (Coordinator:Limits:MaxSteps)" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Hostile_manifest_is_refused_quickly_in_bounded_memory_naming_the_limit(string why, string manifest, string message)
    {
        RolloutManifest.Parse(Fixtures.SeedYaml); // warm up, so the measurement is of this manifest only
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();

        var error = Assert.Throws<ManifestException>(() => RolloutManifest.Parse(manifest));

        clock.Stop();
        Assert.Equal(message, error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"{why}: refused after {clock.Elapsed}");
        var megabytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / 1e6;
        // The oversize text is never decoded; the others stop at their bound (well under the text's own size for some).
        Assert.True(megabytes < 20, $"{why}: {megabytes:F1} MB allocated");
    }

    [Fact]
    public void Limits_can_be_raised()
    {
        var limits = ManifestLimits.Default with { MaxSteps = 200 };
        var manifest = Fixtures.SeedYaml.Replace("- setWeight: 20", string.Concat(Enumerable.Repeat("- setWeight: 20\n        ", 150)));

        Assert.Equal(156, RolloutManifest.Parse(manifest, limits).Spec.Strategy.Canary!.Steps.Length);
        Assert.Contains("(Coordinator:Limits:MaxSteps)", Assert.Throws<ManifestException>(() => RolloutManifest.Parse(manifest)).Message);
    }

    [Fact]
    public void Aliases_within_the_limits_are_expanded_like_copies()
    {
        var yaml = Fixtures.SeedYaml.Replace("  replicas: 1", "  replicas: &one 1\n  minReadySeconds: *one");

        var spec = RolloutManifest.Parse(yaml).Spec;

        Assert.Equal((1, 1), (spec.Replicas, spec.MinReadySeconds));
    }

    [Fact]
    public void An_alias_of_no_anchor_is_invalid_YAML_naming_the_line()
    {
        var error = Assert.Throws<ManifestException>(() => RolloutManifest.Parse(Header + "spec: *nowhere\n"));

        Assert.Equal("invalid YAML: alias *nowhere refers to no anchor before it (line 4)", error.Message);
    }

    [Theory]
    [InlineData("Rollouts_Demo", "metadata.name", "a lowercase RFC 1123 subdomain")]
    [InlineData("a/b", "metadata.name", "a lowercase RFC 1123 subdomain")]
    [InlineData("x", "metadata.namespace", "a lowercase RFC 1123 label")]
    public void Names_are_checked_as_Kubernetes_does(string name, string field, string message)
    {
        var yaml = field == "metadata.name"
            ? Fixtures.SeedYaml.Replace("name: rollouts-demo\nspec", $"name: \"{name}\"\nspec")
            : Fixtures.SeedYaml.Replace("name: rollouts-demo\nspec", "name: rollouts-demo\n  namespace: my.namespace\nspec");

        var error = Assert.Throws<ManifestException>(() => RolloutManifest.Parse(yaml));

        Assert.Equal(field, error.Path);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Overlong_names_are_refused_without_echoing_them_whole()
    {
        var name = new string('a', 254);
        var error = Assert.Throws<ManifestException>(() => RolloutManifest.Parse(Fixtures.SeedYaml.Replace("name: rollouts-demo\nspec", $"name: {name}\nspec")));

        Assert.Equal("metadata.name", error.Path);
        Assert.Contains("must be no more than 253 characters", error.Message);
        Assert.DoesNotContain(name, error.Message);
    }
}
