using System.Text.Json;
using Coordinator.Cli.Tests.Fakes;
using Coordinator.Grpc.V1;

namespace Coordinator.Cli.Tests.Fleet;

/// <summary>What <c>fleet get</c>, <c>fleet get -o json</c>, <c>fleet get --watch</c>, <c>fleet plan</c> and <c>fleet list</c> print for canned replies.</summary>
public sealed class FleetRenderingTests : IAsyncLifetime
{
    private FakeCoordinator _server = null!;

    private FakeFleetRollouts Fleets => _server.Fleets;

    public async Task InitializeAsync() => _server = await FakeCoordinator.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Get_shows_the_header_the_waves_and_one_row_per_cluster()
    {
        var result = await CliRun.RunAsync(_server, "fleet", "get", "demo-yellow");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("""
            Name:      demo-yellow
            Rollout:   test/rollouts-demo
            Change:    rollouts-demo=argoproj/rollouts-demo:yellow
            Status:    ◌ Progressing
            Run:       1 (started 3m ago)
            Failures:  0 (onFailure halt)
            Message:   wave staging: 0 of 1 clusters Healthy, 1 in progress (maxParallel 1)

            WAVE     STATE          HEALTHY  MAX-PARALLEL  FAILURES  BAKE  APPROVAL
            dev      ✔ Completed    1/1      1             0/0       10s   -
            staging  ◌ Progressing  0/1      1             0/0       10s   -
            prod     • Pending      0/1      1             0/0       -     required

            CLUSTER  WAVE     STATE          ROLLOUT    STEP  WEIGHT  REVISION
            dev      dev      ✔ Healthy      ✔ Healthy  -     0       2
            staging  staging  ◌ Progressing  ॥ Paused   1/7   5       2
            prod     prod     • Pending      -          -     0       -

            """, result.Out);
        Assert.Equal("demo-yellow", Fleets.Single<FleetRolloutRequest>().Name);
    }

    [Fact]
    public async Task Get_shows_failures_against_the_budget_and_each_failed_cluster_s_reason()
    {
        var halted = FleetSeed.Halted();
        halted.FailureBudget = 1;
        Fleets.Reply = halted;

        var result = await CliRun.RunAsync(_server, "fleet", "get", "demo-yellow");

        Assert.Contains("Status:    ॥ Halted\n", result.Out);
        Assert.Contains("Failures:  1/1 (onFailure halt)\n", result.Out);
        Assert.Contains("staging  ✖ Failed     0/1      1             1/0       -     -\n", result.Out);
        Assert.Contains("CLUSTER  WAVE     STATE      ROLLOUT     STEP  WEIGHT  REVISION  REASON\n", result.Out);
        Assert.Contains("staging  staging  ✖ Failed   ✖ Degraded  0/7   0       2         progress deadline exceeded\n", result.Out);
        Assert.Contains("dev      dev      ✔ Healthy  ✔ Healthy   -     0       2         -\n", result.Out);
    }

    [Fact]
    public async Task Get_o_json_prints_every_wave_and_cluster_field()
    {
        var result = await CliRun.RunAsync(_server, "fleet", "get", "demo-yellow", "-o", "json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal("Progressing", root.GetProperty("phase").GetString());
        Assert.Equal("wave staging: 0 of 1 clusters Healthy, 1 in progress (maxParallel 1)", root.GetProperty("message").GetString());
        Assert.Equal(-1, root.GetProperty("failureBudget").GetInt32());
        var staging = root.GetProperty("waves")[1];
        Assert.Equal("staging", staging.GetProperty("name").GetString());
        Assert.Equal("10s", staging.GetProperty("bakeTime").GetString());
        var cluster = staging.GetProperty("clusters")[0];
        Assert.Equal("staging", cluster.GetProperty("cluster").GetString());
        Assert.Equal("Progressing", cluster.GetProperty("state").GetString());
        Assert.Equal("Paused", cluster.GetProperty("rolloutPhase").GetString());
        Assert.Equal(1, cluster.GetProperty("step").GetInt32());
        Assert.Equal(7, cluster.GetProperty("stepCount").GetInt32());
        Assert.Equal(5, cluster.GetProperty("weight").GetInt32());
        Assert.Equal(2, cluster.GetProperty("revision").GetInt32());
        // Zero values are written too: a script reads weight 0 and an empty reason, not missing keys.
        var prod = root.GetProperty("waves")[2].GetProperty("clusters")[0];
        Assert.Equal(0, prod.GetProperty("weight").GetInt32());
        Assert.Equal("", prod.GetProperty("failureReason").GetString());
        Assert.Equal("2025-06-01T11:57:00Z", root.GetProperty("startedAt").GetString());
    }

    [Fact]
    public async Task Watch_redraws_on_every_change_and_ends_with_the_run()
    {
        await Fleets.Watch.Writer.WriteAsync(FleetSeed.InProgress());
        await Fleets.Watch.Writer.WriteAsync(FleetSeed.Completed());

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var result = await CliRun.RunAsync(_server, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(CliRun.Now), null, timeout.Token,
            "fleet", "get", "demo-yellow", "--watch");

        Assert.Equal(0, result.ExitCode);
        var screens = result.Out.Split("\nName:");
        Assert.Equal(2, screens.Length);
        Assert.Contains("Status:    ◌ Progressing", screens[0]);
        Assert.Contains("Status:    ✔ Completed", screens[1]);
        Assert.Contains("prod     prod     ✔ Healthy  ✔ Healthy  -     0       2", screens[1]);
        Assert.Equal("demo-yellow", Fleets.Single<FleetRolloutRequest>().Name);
    }

    [Fact]
    public async Task Watch_of_a_run_that_halts_keeps_watching_and_one_that_fails_exits_1()
    {
        var failed = FleetSeed.Halted();
        failed.Phase = "Failed";
        await Fleets.Watch.Writer.WriteAsync(FleetSeed.Halted());
        await Fleets.Watch.Writer.WriteAsync(failed);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var result = await CliRun.RunAsync(_server, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(CliRun.Now), null, timeout.Token,
            "fleet", "get", "demo-yellow", "--watch", "-o", "json");

        Assert.Equal(1, result.ExitCode);
        var phases = result.Out.Split("\n\n").Select(doc => JsonDocument.Parse(doc).RootElement.GetProperty("phase").GetString());
        Assert.Equal(["Halted", "Failed"], phases);
    }

    [Fact]
    public async Task Plan_lists_the_waves_in_order_with_their_clusters_limits_and_estimates()
    {
        var result = await CliRun.RunAsync(_server, TimeProvider.System, "kind: FleetRollout", CancellationToken.None, "fleet", "plan", "-f", "-");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("kind: FleetRollout", Fleets.Single<PlanFleetRolloutRequest>().Manifest);
        Assert.Equal("""
            fleet rollout 'demo-yellow': 3 waves, 4 clusters, run failure budget 1
            estimated duration: 5m30s (without waiting for approvals)

            WAVE     CLUSTERS       MAX-PARALLEL  BAKE  APPROVAL  FAILURE-BUDGET  ESTIMATED
            dev      dev            1             10s   -         none            1m40s
            staging  staging        1             10s   -         none            1m40s
            prod     prod-b,prod-a  1             -     required  none            1m30s
            note: wave prod waits for `fleet approve`

            """, result.Out);
    }

    [Fact]
    public async Task List_shows_phase_run_current_wave_healthy_clusters_and_age()
    {
        var reply = new ListFleetRolloutsReply();
        reply.FleetRollouts.Add(FleetSeed.Completed());
        var other = FleetSeed.InProgress();
        other.Name = "demo-red";
        other.Run = 2;
        reply.FleetRollouts.Add(other);
        Fleets.ListReply = reply;

        var result = await CliRun.RunAsync(_server, "fleet", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("""
            NAME         PHASE          RUN  WAVE     HEALTHY  AGE
            demo-yellow  ✔ Completed    1    prod     3/3      3m
            demo-red     ◌ Progressing  2    staging  1/3      3m

            """, result.Out);
    }

    [Fact]
    public async Task List_of_nothing_says_so()
    {
        var result = await CliRun.RunAsync(_server, "fleet", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Equal("No fleet rollouts found.\n", result.Error);
    }
}
