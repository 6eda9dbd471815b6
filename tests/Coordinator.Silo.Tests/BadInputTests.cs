extern alias cli;
using cli::Coordinator.Grpc.V1;
using Coordinator.Testing;
using Grpc.Core;

namespace Coordinator.Silo.Tests;

/// <summary>Bad input through gRPC and rolloutctl gets an error naming the field, and nothing is written in any cluster.</summary>
public sealed class BadInputTests(SiloFixture silo) : IClassFixture<SiloFixture>
{
    private static string Rollout(string[]? steps = null, string canaryService = "rollouts-demo-canary") =>
        Manifests.Rollout(steps: steps ?? ["setWeight: 20", "pause: {}"], name: "bad-demo", @namespace: "test")
            .Replace("canaryService: rollouts-demo-canary", $"canaryService: {canaryService}", StringComparison.Ordinal);

    public static TheoryData<string, string, string> BadManifests => new()
    {
        { "malformed YAML", "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: [unclosed\n", "manifest" },
        { "unknown step kind", Rollout(["setWeight: 20", "bake: { duration: 10s }"]), "unknown field \"spec.strategy.canary.steps[1].bake\"" },
        { "empty step", Rollout(["setWeight: 20", "{}"]), "spec.strategy.steps[1]" },
        { "field the coordinator does not execute", Rollout(["setWeight: 20"]).Replace("      steps:\n", "      antiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} }\n      steps:\n"), "spec.strategy.canary.antiAffinity" },
        { "weight 150", Rollout(["setWeight: 150"]), "spec.strategy.steps[0].setWeight" },
        { "missing service", Rollout(canaryService: "no-such-service"), "spec.strategy.canary.canaryService" },
    };

    [Theory]
    [MemberData(nameof(BadManifests))]
    public async Task Grpc_refuses_bad_manifests_naming_the_field_and_writes_nothing(string why, string manifest, string field)
    {
        var before = silo.FleetResourceVersion;
        var error = await Assert.ThrowsAsync<RpcException>(async () => await silo.Grpc.ApplyRolloutAsync(new ApplyRolloutRequest { Manifest = manifest }));
        Assert.True(error.StatusCode == StatusCode.InvalidArgument, $"{why}: {error.Status}");
        Assert.Contains(field, error.Status.Detail);
        Assert.Equal(before, silo.FleetResourceVersion);
        Assert.DoesNotContain((await silo.Grpc.ListRolloutsAsync(new ListRolloutsRequest())).Rollouts, r => r.Name == "bad-demo");
    }

    [Theory]
    [MemberData(nameof(BadManifests))]
    public async Task Cli_refuses_bad_manifests_naming_the_field_and_writes_nothing(string why, string manifest, string field)
    {
        var file = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, manifest);
        var before = silo.FleetResourceVersion;
        var result = await silo.CliAsync("apply", "-f", file);
        Assert.True(result.ExitCode == 1, $"{why}: {result}");
        Assert.Contains(field, result.Stderr);
        Assert.StartsWith("error: ", result.Stderr);
        Assert.Equal(before, silo.FleetResourceVersion);
    }

    [Fact]
    public async Task Unknown_cluster_is_refused_naming_the_target()
    {
        var before = silo.FleetResourceVersion;
        var error = await Assert.ThrowsAsync<RpcException>(async () => await silo.Grpc.ApplyRolloutAsync(
            new ApplyRolloutRequest { Manifest = Rollout(), Target = new Target { Clusters = { "moon" } } }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("target.clusters", error.Status.Detail);
        Assert.Contains("moon", error.Status.Detail);

        var file = Path.Combine(Path.GetTempPath(), $"ok-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, Rollout());
        var result = await silo.CliAsync("apply", "-f", file, "--cluster", "moon");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("target.clusters: unknown cluster 'moon'", result.Stderr);
        Assert.Equal(before, silo.FleetResourceVersion);
    }

    [Fact]
    public async Task Commands_on_a_rollout_that_does_not_exist_are_not_found()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await silo.Grpc.PromoteRolloutAsync(new PromoteRolloutRequest { Name = "nothing-here", Namespace = "test" }));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        var result = await silo.CliAsync("abort", "nothing-here", "-n", "test");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not found", result.Stderr);
    }

    [Fact]
    public async Task Set_image_with_a_malformed_argument_is_a_usage_error()
    {
        var result = await silo.CliAsync("set", "image", "rollouts-demo", "yellow", "-n", "test");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("CONTAINER=IMAGE", result.Stderr);
    }
}
