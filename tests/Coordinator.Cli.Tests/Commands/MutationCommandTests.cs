using Coordinator.Cli.Tests.Fakes;
using Coordinator.Grpc.V1;
using Grpc.Core;

namespace Coordinator.Cli.Tests.Commands;

public sealed class MutationCommandTests : IAsyncLifetime
{
    private FakeCoordinator _server = null!;

    public async Task InitializeAsync() => _server = await FakeCoordinator.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Apply_sends_the_file_namespace_and_clusters_and_names_the_clusters()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "kind: Rollout\nmetadata: {name: rollouts-demo}\n");
        try
        {
            var result = await CliRun.RunAsync(_server, "apply", "-f", file, "-n", "team-a", "--cluster", "dev", "--cluster", "staging");

            Assert.Equal(0, result.ExitCode);
            Assert.Equal("rollout 'rollouts-demo' applied in dev, staging\n", result.Out);
            var request = _server.Service.Single<ApplyRolloutRequest>();
            Assert.Equal("kind: Rollout\nmetadata: {name: rollouts-demo}\n", request.Manifest);
            Assert.Equal("team-a", request.Namespace);
            Assert.Equal(["dev", "staging"], request.Target.Clusters);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Apply_reads_standard_input_and_leaves_the_namespace_to_the_server()
    {
        var result = await CliRun.RunAsync(_server, TimeProvider.System, "kind: Rollout", CancellationToken.None, "apply", "-f", "-");

        Assert.Equal(0, result.ExitCode);
        var request = _server.Service.Single<ApplyRolloutRequest>();
        Assert.Equal("kind: Rollout", request.Manifest);
        Assert.Equal("", request.Namespace);
        Assert.Empty(request.Target.Clusters);
        Assert.Empty(request.Target.Selector);
    }

    [Fact]
    public async Task Apply_refused_by_the_server_prints_the_field_and_exits_1()
    {
        _server.Service.Failure = new RpcException(new Status(StatusCode.InvalidArgument, "spec.strategy.steps[0].setWeight: must be between 0 and 100"));

        var result = await CliRun.RunAsync(_server, TimeProvider.System, "kind: Rollout", CancellationToken.None, "apply", "-f", "-");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: spec.strategy.steps[0].setWeight: must be between 0 and 100\n", result.Error);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task Apply_with_a_missing_file_exits_1_without_calling()
    {
        var result = await CliRun.RunAsync(_server, "apply", "-f", "/nonexistent/rollout.yaml");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: cannot read /nonexistent/rollout.yaml", result.Error);
        Assert.Empty(_server.Service.Requests);
    }

    [Fact]
    public async Task Promote_full_with_a_selector()
    {
        var result = await CliRun.RunAsync(_server, "promote", "rollouts-demo", "--full", "--selector", "env=prod,region=eu");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("rollout 'rollouts-demo' fully promoted (dev)\n", result.Out);
        var request = _server.Service.Single<PromoteRolloutRequest>();
        Assert.True(request.Full);
        Assert.Equal("rollouts-demo", request.Name);
        Assert.Equal(new Dictionary<string, string> { ["env"] = "prod", ["region"] = "eu" }, request.Target.Selector);
    }

    [Fact]
    public async Task Promote_names_every_cluster()
    {
        var result = await CliRun.RunAsync(_server, "promote", "rollouts-demo", "--cluster", "dev", "--cluster", "staging", "-n", "shop");

        Assert.Equal("rollout 'rollouts-demo' promoted (dev, staging)\n", result.Out);
        var request = _server.Service.Single<PromoteRolloutRequest>();
        Assert.False(request.Full);
        Assert.Equal("shop", request.Namespace);
    }

    [Theory]
    [InlineData("abort", "rollout 'demo' aborted (dev)")]
    [InlineData("pause", "rollout 'demo' paused (dev)")]
    [InlineData("resume", "rollout 'demo' resumed (dev)")]
    [InlineData("delete", "rollout \"demo\" deleted (dev)")]
    [InlineData("retry", "rollout 'demo' retried (dev)")]
    public async Task Simple_commands_send_the_name_and_report(string command, string expected)
    {
        var result = await CliRun.RunAsync(_server, command, "demo", "-n", "shop");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(expected + "\n", result.Out);
        var request = _server.Service.Single<RolloutRequest>();
        Assert.Equal("demo", request.Name);
        Assert.Equal("shop", request.Namespace);
    }

    [Fact]
    public async Task Retry_rollout_form_is_accepted()
    {
        var result = await CliRun.RunAsync(_server, "retry", "rollout", "demo");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("rollout 'demo' retried (dev)\n", result.Out);
        Assert.Equal("demo", _server.Service.Single<RolloutRequest>().Name);
    }

    [Fact]
    public async Task Undo_sends_the_revision()
    {
        var result = await CliRun.RunAsync(_server, "undo", "demo", "--to-revision", "3");

        Assert.Equal("rollout 'demo' undo (dev)\n", result.Out);
        Assert.Equal(3, _server.Service.Single<UndoRolloutRequest>().ToRevision);
    }

    [Fact]
    public async Task Set_image_sends_container_and_image()
    {
        var result = await CliRun.RunAsync(_server, "set", "image", "rollouts-demo", "rollouts-demo=argoproj/rollouts-demo:yellow");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("deployment \"rollouts-demo\" image updated (dev)\n", result.Out);
        var request = _server.Service.Single<SetImageRequest>();
        Assert.Equal("rollouts-demo", request.Container);
        Assert.Equal("argoproj/rollouts-demo:yellow", request.Image);
    }

    [Theory]
    [InlineData("yellow")]
    [InlineData("=argoproj/rollouts-demo:yellow")]
    [InlineData("rollouts-demo=")]
    public async Task Set_image_with_a_bad_argument_is_a_usage_error(string argument)
    {
        var result = await CliRun.RunAsync(_server, "set", "image", "rollouts-demo", argument);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"invalid argument CONTAINER=IMAGE '{argument}'", result.Error);
        Assert.Empty(_server.Service.Requests);
    }

    [Fact]
    public async Task Partial_failure_prints_both_and_exits_1()
    {
        _server.Service.Reply = _ =>
        {
            var reply = FakeRollouts.Default("demo", null);
            reply.Clusters.Add(Wire.Failed("prod", "cluster prod is unreachable"));
            return reply;
        };

        var result = await CliRun.RunAsync(_server, "abort", "demo");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("rollout 'demo' aborted (dev)\n", result.Out);
        Assert.Equal("error: cluster prod: cluster prod is unreachable\n", result.Error);
    }

    [Fact]
    public async Task Unknown_cluster_reported_by_the_server()
    {
        _server.Service.Failure = new RpcException(new Status(StatusCode.InvalidArgument, "target.clusters: unknown cluster 'x' (known: dev)"));

        var result = await CliRun.RunAsync(_server, "pause", "demo", "--cluster", "x");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: target.clusters: unknown cluster 'x' (known: dev)\n", result.Error);
    }

    [Fact]
    public async Task Cluster_and_selector_together_is_a_usage_error()
    {
        var result = await CliRun.RunAsync(_server, "pause", "demo", "--cluster", "dev", "--selector", "env=dev");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--cluster and --selector cannot be used together", result.Error);
        Assert.Empty(_server.Service.Requests);
    }
}
