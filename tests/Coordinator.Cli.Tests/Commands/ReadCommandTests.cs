extern alias cli;

using Coordinator.Cli.Tests.Fakes;
using Coordinator.Grpc.V1;
using Microsoft.Extensions.Time.Testing;
using CliEntry = cli::Coordinator.Cli.Cli;
using CliEnvironment = cli::Coordinator.Cli.CliEnvironment;
using RolloutTreeRenderer = cli::Coordinator.Cli.Rendering.RolloutTreeRenderer;

namespace Coordinator.Cli.Tests.Commands;

public sealed class ReadCommandTests : IAsyncLifetime
{
    private FakeCoordinator _server = null!;

    public async Task InitializeAsync() => _server = await FakeCoordinator.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Get_rollout_prints_one_block_per_cluster()
    {
        _server.Service.Reply = _ => Wire.Reply(Seed.PausedAfterFirstStep("dev"), Seed.Healthy("staging"));

        var result = await CliRun.RunAsync(_server, "get", "rollout", "rollouts-demo", "--selector", "tier=pre-prod");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(RolloutTreeRenderer.Render([Seed.PausedAfterFirstStep("dev"), Seed.Healthy("staging")], CliRun.Now), result.Out);
        Assert.Contains("Cluster:         dev\nStatus:          ॥ Paused\n", result.Out);
        Assert.Contains("\n\nName:            rollouts-demo\nNamespace:       default\nCluster:         staging\n", result.Out);
        var request = _server.Service.Single<RolloutRequest>();
        Assert.Equal("rollouts-demo", request.Name);
        Assert.Equal("pre-prod", request.Target.Selector["tier"]);
    }

    [Fact]
    public async Task Get_rollout_with_an_unreachable_cluster_prints_its_error_and_exits_1()
    {
        _server.Service.Reply = _ =>
        {
            var reply = Wire.Reply(Seed.PausedAfterFirstStep("dev"));
            reply.Clusters.Add(Wire.Failed("prod", "connection refused"));
            return reply;
        };

        var result = await CliRun.RunAsync(_server, "get", "ro", "rollouts-demo");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Cluster:         prod\nError:           connection refused\n", result.Out);
    }

    [Fact]
    public async Task Get_rollout_watch_redraws_with_the_latest_state_of_every_cluster()
    {
        var watch = _server.Service.Watch.Writer;
        await watch.WriteAsync(Wire.Reply(Seed.PausedAfterFirstStep("dev"), Seed.PausedAfterFirstStep("prod")));
        await watch.WriteAsync(Wire.Reply(Seed.Healthy("prod")));
        watch.Complete();

        var result = await CliRun.RunAsync(_server, "get", "rollout", "rollouts-demo", "--watch");

        Assert.Equal(0, result.ExitCode);
        var first = RolloutTreeRenderer.Render([Seed.PausedAfterFirstStep("dev"), Seed.PausedAfterFirstStep("prod")], CliRun.Now);
        var second = RolloutTreeRenderer.Render([Seed.PausedAfterFirstStep("dev"), Seed.Healthy("prod")], CliRun.Now);
        Assert.Equal(first + "\n" + second, result.Out);
        Assert.DoesNotContain("\x1b[", result.Out);
    }

    [Fact]
    public async Task Get_rollout_watch_on_a_terminal_clears_the_screen_before_each_redraw()
    {
        var watch = _server.Service.Watch.Writer;
        await watch.WriteAsync(Wire.Reply(Seed.PausedAfterFirstStep("dev")));
        await watch.WriteAsync(Wire.Reply(Seed.Healthy("dev")));
        watch.Complete();
        var stdout = new StringWriter();
        var env = new CliEnvironment(stdout, new StringWriter(), new StringReader(""), new FakeTimeProvider(CliRun.Now), IsTerminal: true);

        var exit = await CliEntry.RunAsync(["get", "rollout", "rollouts-demo", "-w", "--server", _server.Url], env, CancellationToken.None);

        Assert.Equal(0, exit);
        const string clear = "\x1b[H\x1b[2J";
        Assert.Equal(
            clear + RolloutTreeRenderer.Render([Seed.PausedAfterFirstStep("dev")], CliRun.Now) + clear + RolloutTreeRenderer.Render([Seed.Healthy("dev")], CliRun.Now),
            stdout.ToString());
    }

    [Fact]
    public async Task List_rollouts_sends_the_default_namespace_and_prints_a_table()
    {
        _server.Service.ListReply = new ListRolloutsReply { Rollouts = { Seed.PausedAfterFirstStep("dev").ToServer(), Seed.Healthy("prod").ToServer() } };

        var result = await CliRun.RunAsync(_server, "list", "rollouts", "--cluster", "dev", "--cluster", "prod");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("""
            NAME           CLUSTER  STRATEGY  STATUS     STEP  SET-WEIGHT  READY  DESIRED  UP-TO-DATE  AVAILABLE
            rollouts-demo  dev      Canary    ॥ Paused   1/7   5           2/2    1        1           2
            rollouts-demo  prod     Canary    ✔ Healthy  7/7   100         1/1    1        1           1

            """, result.Out);
        var request = _server.Service.Single<ListRolloutsRequest>();
        Assert.Equal("default", request.Namespace);
        Assert.Equal(["dev", "prod"], request.Target.Clusters);
    }

    [Fact]
    public async Task List_rollouts_in_every_namespace_sends_an_empty_namespace()
    {
        var result = await CliRun.RunAsync(_server, "list", "rollouts", "-A");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("No resources found\n", result.Error);
        Assert.Equal("", _server.Service.Single<ListRolloutsRequest>().Namespace);
    }

    [Fact]
    public async Task Clusters_lists_names_reachability_labels_and_servers()
    {
        var dev = new Cluster { Name = "dev", Reachable = true, Version = "v1.32.0", Server = "http://127.0.0.1:16443" };
        dev.Labels.Add("env", "dev");
        _server.Service.ClustersReply = new ListClustersReply { Clusters = { dev } };

        var result = await CliRun.RunAsync(_server, "clusters", "-l", "env=dev");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("NAME  REACHABLE  VERSION  LABELS   SERVER\ndev   true       v1.32.0  env=dev  http://127.0.0.1:16443\n", result.Out);
        Assert.Equal("dev", _server.Service.Single<ListClustersRequest>().Selector["env"]);
    }
}
