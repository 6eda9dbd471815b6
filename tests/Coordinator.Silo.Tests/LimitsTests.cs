extern alias cli;
using System.Diagnostics;
using cli::Coordinator.Grpc.V1;
using Coordinator.Testing;
using Grpc.Core;

namespace Coordinator.Silo.Tests;

/// <summary>
/// Hostile input can neither crash nor exhaust the silo: each manifest is refused with InvalidArgument naming the
/// limit, within milliseconds, in bounded memory, with nothing written to any cluster, and the silo keeps serving.
/// </summary>
[Collection(Name)]
public sealed class LimitsTests(SiloFixture silo) : IClassFixture<SiloFixture>
{
    /// <summary>Run alone: the memory bound is measured over the whole process, which other test classes' silos would add to.</summary>
    public const string Name = "limits, measured alone";

    private static readonly TimeSpan Quickly = TimeSpan.FromSeconds(2);

    /// <summary>Why, the manifest, what the refusal says.</summary>
    public static TheoryData<string, string, string> HostileManifestsAndTheirLimits => new()
    {
        { "billion laughs", HostileManifests.BillionLaughs(), "more than 10000 YAML nodes (aliases expanded) at line 8 (Coordinator:Limits:MaxYamlNodes)" },
        { "many aliases", HostileManifests.ManyAliases(101), "more than 100 YAML aliases at line 5 (Coordinator:Limits:MaxYamlAliases)" },
        { "deep YAML sequences", HostileManifests.DeepYamlSequences(100_000), "nesting deeper than 64 levels at line 1 (Coordinator:Limits:MaxNestingDepth)" },
        { "deep YAML mappings", HostileManifests.DeepYamlMappings(50_000), "nesting deeper than 64 levels at line 4 (Coordinator:Limits:MaxNestingDepth)" },
        { "deep JSON", HostileManifests.DeepJson(100_000), "nesting deeper than 64 levels at line 2 (Coordinator:Limits:MaxNestingDepth)" },
        { "oversize", HostileManifests.Oversize(1_572_864), "manifest: 1572864 bytes exceeds the limit of 1048576 bytes (Coordinator:Limits:MaxManifestBytes)" },
        { "too many steps", HostileManifests.Steps(101), "spec.strategy.canary.steps: 101 steps exceed the limit of 100 (Coordinator:Limits:MaxSteps)" },
        { "name with a slash", HostileManifests.Steps(1).Replace("name: hostile", "name: a/b"), "metadata.name: Invalid value: \"a/b\": a lowercase RFC 1123 subdomain" },
        { "overlong namespace", HostileManifests.Steps(1).Replace("namespace: test", $"namespace: {new string('n', 64)}"), "metadata.namespace: Invalid value:" },
    };

    [Theory]
    [MemberData(nameof(HostileManifestsAndTheirLimits))]
    public async Task Grpc_refuses_hostile_manifests_quickly_in_bounded_memory_and_keeps_serving(string why, string manifest, string message)
    {
        await silo.Grpc.ListClustersAsync(new ListClustersRequest()); // warm, so the measurement is of the hostile call
        var before = silo.FleetResourceVersion;
        var allocated = GC.GetTotalAllocatedBytes();
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await silo.Grpc.ApplyRolloutAsync(new ApplyRolloutRequest { Manifest = manifest }));

        clock.Stop();
        var megabytes = (GC.GetTotalAllocatedBytes() - allocated) / 1e6;
        Assert.True(error.StatusCode == StatusCode.InvalidArgument, $"{why}: {error.Status}");
        Assert.StartsWith("manifest: ", error.Status.Detail);
        Assert.Contains(message, error.Status.Detail);
        Assert.True(clock.Elapsed < Quickly, $"{why}: refused after {clock.Elapsed}");
        // Whole process, client and server: sending the 1.5 MB manifest costs a few copies of it; expanding or recursing would cost gigabytes.
        Assert.True(megabytes < 40, $"{why}: {megabytes:F1} MB allocated");
        Assert.Equal(before, silo.FleetResourceVersion);
        Assert.Equal(3, (await silo.Grpc.ListClustersAsync(new ListClustersRequest())).Clusters.Count);
        var reply = await silo.Grpc.GetRolloutAsync(new RolloutRequest { Name = HostileManifests.Name, Namespace = "test" });
        Assert.All(reply.Clusters, c => Assert.False(c.Exists));
    }

    [Theory]
    [MemberData(nameof(HostileManifestsAndTheirLimits))]
    public async Task Rolloutctl_refuses_hostile_manifests_naming_the_limit(string why, string manifest, string message)
    {
        var file = Path.Combine(Path.GetTempPath(), $"hostile-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, manifest);
        var before = silo.FleetResourceVersion;

        var result = await silo.CliAsync("apply", "-f", file);

        File.Delete(file);
        Assert.True(result.ExitCode == 1, $"{why}: {result}");
        Assert.StartsWith("error: ", result.Stderr);
        // An oversize file is refused by rolloutctl itself, before it is read whole or sent.
        Assert.Contains(why == "oversize" ? $"{file}: 1572864 bytes exceeds the limit of 1048576 bytes" : message, result.Stderr);
        Assert.Equal(before, silo.FleetResourceVersion);
    }

    public static TheoryData<string, RolloutRequest, string> BadRequestNames => new()
    {
        { "name with a slash", new RolloutRequest { Name = "a/b", Namespace = "test" }, "name: Invalid value: \"a/b\"" },
        { "overlong name", new RolloutRequest { Name = new string('a', 254), Namespace = "test" }, "name: Invalid value: \"aaaa" },
        { "namespace with capitals", new RolloutRequest { Name = "ok", Namespace = "Test" }, "namespace: Invalid value: \"Test\": a lowercase RFC 1123 label" },
        { "overlong namespace", new RolloutRequest { Name = "ok", Namespace = new string('n', 64) }, "must be no more than 63 characters" },
        { "cluster with a slash", new RolloutRequest { Name = "ok", Namespace = "test", Target = new Target { Clusters = { "dev/x" } } }, "target.clusters: Invalid value: \"dev/x\"" },
    };

    [Theory]
    [MemberData(nameof(BadRequestNames))]
    public async Task Request_names_are_checked_as_Kubernetes_checks_them(string why, RolloutRequest request, string message)
    {
        foreach (var call in new Func<Task>[]
        {
            async () => await silo.Grpc.GetRolloutAsync(request),
            async () => await silo.Grpc.PauseRolloutAsync(request),
            async () => await silo.Grpc.DeleteRolloutAsync(request),
        })
        {
            var error = await Assert.ThrowsAsync<RpcException>(call);
            Assert.True(error.StatusCode == StatusCode.InvalidArgument, $"{why}: {error.Status}");
            Assert.Contains(message, error.Status.Detail);
        }
    }

    [Fact]
    public async Task An_apply_namespace_that_is_no_label_is_refused()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await silo.Grpc.ApplyRolloutAsync(
            new ApplyRolloutRequest { Manifest = HostileManifests.Steps(1), Namespace = "a/b" }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("namespace: Invalid value: \"a/b\"", error.Status.Detail);
    }
}

[CollectionDefinition(LimitsTests.Name, DisableParallelization = true)]
public sealed class MeasuredAloneCollection;
