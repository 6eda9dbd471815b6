using Coordinator.Cli.Tests.Fakes;
using Coordinator.Grpc.V1;
using Microsoft.Extensions.Time.Testing;

namespace Coordinator.Cli.Tests.Commands;

public sealed class StatusCommandTests : IAsyncLifetime
{
    private FakeCoordinator _server = null!;

    public async Task InitializeAsync() => _server = await FakeCoordinator.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static RolloutReply Phase(string cluster, string phase, string message = "") => new()
    {
        Name = "rollouts-demo",
        Namespace = "default",
        Clusters = { new ClusterRollout { Cluster = cluster, Name = "rollouts-demo", Namespace = "default", Exists = true, Phase = phase, Message = message } },
    };

    [Fact]
    public async Task Progressing_then_paused_then_healthy_exits_0()
    {
        var watch = _server.Service.Watch.Writer;
        await watch.WriteAsync(Phase("dev", "Progressing", "more replicas need to be updated"));
        await watch.WriteAsync(Phase("dev", "Progressing", "more replicas need to be updated"));
        await watch.WriteAsync(Phase("dev", "Paused", "CanaryPauseStep"));
        await watch.WriteAsync(Phase("dev", "Healthy"));

        var result = await CliRun.RunAsync(_server, "status", "rollouts-demo", "-n", "shop");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Progressing - more replicas need to be updated\nPaused - CanaryPauseStep\nHealthy\n", result.Out);
        Assert.Equal("", result.Error);
        var request = _server.Service.Single<RolloutRequest>();
        Assert.Equal(("rollouts-demo", "shop"), (request.Name, request.Namespace));
    }

    [Fact]
    public async Task Degraded_exits_1_with_the_plugin_message()
    {
        var watch = _server.Service.Watch.Writer;
        await watch.WriteAsync(Phase("dev", "Progressing", "more replicas need to be updated"));
        await watch.WriteAsync(Phase("dev", "Degraded", "RolloutAborted: Rollout aborted update to revision 2"));

        var result = await CliRun.RunAsync(_server, "status", "rollouts-demo");

        Assert.Equal(1, result.ExitCode);
        Assert.EndsWith("Degraded - RolloutAborted: Rollout aborted update to revision 2\n", result.Out);
        Assert.Equal("error: The rollout is in a degraded state with message: RolloutAborted: Rollout aborted update to revision 2\n", result.Error);
    }

    [Fact]
    public async Task Several_clusters_are_prefixed_and_all_must_be_healthy()
    {
        var watch = _server.Service.Watch.Writer;
        var first = Phase("dev", "Healthy");
        first.Clusters.Add(Phase("prod", "Paused", "CanaryPauseStep").Clusters);
        await watch.WriteAsync(first);
        await watch.WriteAsync(Phase("prod", "Healthy"));

        var result = await CliRun.RunAsync(_server, "status", "rollouts-demo");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("dev: Healthy\nprod: Paused - CanaryPauseStep\nprod: Healthy\n", result.Out);
    }

    [Fact]
    public async Task Timeout_on_a_fake_clock_exits_1()
    {
        var time = new FakeTimeProvider(CliRun.Now);
        await _server.Service.Watch.Writer.WriteAsync(Phase("dev", "Paused", "CanaryPauseStep"));

        var run = CliRun.RunAsync(_server, time, null, CancellationToken.None, "status", "rollouts-demo", "--timeout", "300ms");
        await _server.Service.WatchStarted.Task;
        time.Advance(TimeSpan.FromMilliseconds(300));
        var result = await run;

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: Rollout status watch exceeded timeout\n", result.Error);
    }

    [Fact]
    public async Task Timeout_on_the_real_clock_exits_1()
    {
        await _server.Service.Watch.Writer.WriteAsync(Phase("dev", "Paused", "CanaryPauseStep"));

        // Long enough for the first reply to be printed before it on a cold, loaded machine (300 ms was not, once).
        var result = await CliRun.RunAsync(_server, TimeProvider.System, null, CancellationToken.None, "status", "rollouts-demo", "-t", "2s");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Paused - CanaryPauseStep\n", result.Out);
        Assert.Equal("error: Rollout status watch exceeded timeout\n", result.Error);
    }

    [Fact]
    public async Task Watch_false_prints_once()
    {
        _server.Service.Reply = _ => Phase("dev", "Paused", "CanaryPauseStep");

        var result = await CliRun.RunAsync(_server, "status", "rollouts-demo", "--watch=false");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Paused - CanaryPauseStep\n", result.Out);
        Assert.IsType<RolloutRequest>(Assert.Single(_server.Service.Requests));
    }

    [Fact]
    public async Task Missing_rollout_exits_1()
    {
        await _server.Service.Watch.Writer.WriteAsync(new RolloutReply
        {
            Name = "nope", Clusters = { new ClusterRollout { Cluster = "dev", Name = "nope", CurrentStepIndex = -1 } },
        });

        var result = await CliRun.RunAsync(_server, "status", "nope");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: rollout 'nope' not found in cluster dev\n", result.Error);
    }

    [Fact]
    public async Task Ctrl_c_stops_the_watch()
    {
        using var cts = new CancellationTokenSource();
        await _server.Service.Watch.Writer.WriteAsync(Phase("dev", "Paused", "CanaryPauseStep"));

        var run = CliRun.RunAsync(_server, TimeProvider.System, null, cts.Token, "get", "rollout", "rollouts-demo", "-w");
        await _server.Service.WatchStarted.Task;
        cts.Cancel();
        var result = await run;

        Assert.Equal(0, result.ExitCode);
    }
}
