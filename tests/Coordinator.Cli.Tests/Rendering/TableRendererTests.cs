extern alias cli;

using Coordinator.Cli.Tests.Fakes;
using AgeFormatter = cli::Coordinator.Cli.Rendering.AgeFormatter;
using Cluster = cli::Coordinator.Grpc.V1.Cluster;
using ClusterListRenderer = cli::Coordinator.Cli.Rendering.ClusterListRenderer;
using RolloutListRenderer = cli::Coordinator.Cli.Rendering.RolloutListRenderer;
using StatusLine = cli::Coordinator.Cli.Rendering.StatusLine;

namespace Coordinator.Cli.Tests.Rendering;

public sealed class TableRendererTests
{
    [Fact]
    public void List_rollouts_is_aligned_with_two_spaces_like_kubectl()
    {
        var noSteps = Seed.Healthy("production-eu");
        noSteps.Name = "web";
        noSteps.CurrentStepIndex = -1;
        noSteps.StepCount = 0;

        var text = RolloutListRenderer.Render([Seed.PausedAfterFirstStep(), Seed.Healthy("staging"), noSteps]);

        Assert.Equal("""
            NAME           CLUSTER        STRATEGY  STATUS     STEP  SET-WEIGHT  READY  DESIRED  UP-TO-DATE  AVAILABLE
            rollouts-demo  dev            Canary    ॥ Paused   1/7   5           2/2    1        1           2
            rollouts-demo  staging        Canary    ✔ Healthy  7/7   100         1/1    1        1           1
            web            production-eu  Canary    ✔ Healthy  -     100         1/1    1        1           1

            """, text);
    }

    [Fact]
    public void List_rollouts_with_every_namespace_adds_a_namespace_column()
    {
        var text = RolloutListRenderer.Render([Seed.PausedAfterFirstStep()], withNamespace: true);
        Assert.StartsWith("NAMESPACE  NAME           CLUSTER  STRATEGY", text);
        Assert.Contains("\ndefault    rollouts-demo  dev      Canary", text);
    }

    [Fact]
    public void Clusters_table_adds_an_error_column_only_when_needed()
    {
        var dev = new Cluster { Name = "dev", Reachable = true, Version = "v1.32.0", Server = "http://127.0.0.1:16443" };
        dev.Labels.Add("env", "dev");
        dev.Labels.Add("region", "eu");
        var prod = new Cluster { Name = "prod", Reachable = false, Server = "http://127.0.0.1:16444", Error = "connection refused" };

        Assert.Equal("""
            NAME  REACHABLE  VERSION  LABELS  SERVER
            dev   true       v1.32.0  env=dev,region=eu  http://127.0.0.1:16443

            """.Replace("LABELS  SERVER", "LABELS             SERVER"), ClusterListRenderer.Render([dev]));
        Assert.Equal("""
            NAME  REACHABLE  VERSION  LABELS             SERVER                  ERROR
            dev   true       v1.32.0  env=dev,region=eu  http://127.0.0.1:16443  -
            prod  false      -        <none>             http://127.0.0.1:16444  connection refused

            """, ClusterListRenderer.Render([dev, prod]));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(40, "40s")]
    [InlineData(59, "59s")]
    [InlineData(60, "1m")]
    [InlineData(5 * 60 + 30, "5m")]
    [InlineData(3 * 3600 + 59, "3h")]
    [InlineData(2 * 86400 + 7200, "2d")]
    [InlineData(400 * 86400, "1y")]
    public void Ages_are_printed_like_kubectl(int seconds, string expected) =>
        Assert.Equal(expected, AgeFormatter.Age(Seed.Ago(TimeSpan.FromSeconds(seconds)), CliRun.Now));

    [Fact]
    public void Ages_of_missing_or_future_timestamps()
    {
        Assert.Equal("<unknown>", AgeFormatter.Age(null, CliRun.Now));
        Assert.Equal("<invalid>", AgeFormatter.Age(Seed.Ago(TimeSpan.FromMinutes(-1)), CliRun.Now));
        Assert.Equal("1m5s", AgeFormatter.GoSeconds(TimeSpan.FromSeconds(65)));
    }

    [Fact]
    public void Status_lines_carry_the_message_and_the_cluster_when_there_are_several()
    {
        Assert.Equal("Paused - CanaryPauseStep", StatusLine.Render(Seed.PausedAfterFirstStep(), withCluster: false));
        Assert.Equal("staging: Healthy", StatusLine.Render(Seed.Healthy("staging"), withCluster: true));
    }
}
