using Coordinator.Domain.Fleet;

namespace Coordinator.Domain.Tests.Fleet;

/// <summary>The fleet's decisions without Orleans: plans built by hand, cluster reports as the RolloutGrains would send them.</summary>
public sealed class FleetPlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private const string Old = "old111";
    private const string New = "new222";

    private static readonly FleetSpec Spec = new()
    {
        Rollout = new FleetRolloutRef("rollouts-demo", "test"),
        TemplatePatchJson = """{"spec":{"containers":[{"name":"rollouts-demo","image":"argoproj/rollouts-demo:yellow"}]}}""",
        ClusterTimeout = TimeSpan.FromMinutes(5),
    };

    private static FleetPlan Plan(params PlannedWave[] waves) => new(waves, int.MaxValue);

    private static PlannedWave Wave(string name, int maxParallel, params string[] clusters) =>
        new(name, clusters, maxParallel, TimeSpan.Zero, RequireApproval: false, FailureBudget: 0);

    private static readonly ClusterProgress HealthyNew = new() { Exists = true, Phase = "Healthy", CurrentPodHash = New, StableHash = New };
    private static readonly ClusterProgress Canary = new() { Exists = true, Phase = "Paused", CurrentPodHash = New, StableHash = Old, CanaryWeight = 50, Step = 1, StepCount = 3 };

    private sealed class Run(FleetPlan plan, FleetSpec? spec = null)
    {
        public FleetRunState State { get; set; } = FleetRunState.Start(1, plan, T0);
        public Dictionary<string, ClusterProgress> Clusters { get; } = [];
        public FleetSpec Spec { get; } = spec ?? FleetPlannerTests.Spec;

        public FleetDecision Decide(DateTimeOffset now, int freeSlots = int.MaxValue)
        {
            var decision = FleetPlanner.Decide(plan, Spec, State, Clusters, now, freeSlots);
            State = decision.State;
            return decision;
        }

        /// <summary>The grain's part: every start lands, every revert is written.</summary>
        public FleetDecision DecideAndWrite(DateTimeOffset now, int freeSlots = int.MaxValue)
        {
            var decision = Decide(now, freeSlots);
            foreach (var action in decision.Actions)
            {
                if (action is StartCluster start) State = FleetOutcomes.Written(State, start.Cluster, New, Old, now);
                if (action is RevertCluster revert) State = FleetOutcomes.RevertWritten(State, revert.Cluster);
            }
            return decision;
        }

        public void Report(string cluster, ClusterProgress progress) => Clusters[cluster] = progress;

        public FleetClusterState StateOf(string cluster) => State.Cluster(cluster).State;
    }

    private static string[] Started(FleetDecision decision) => decision.Actions.OfType<StartCluster>().Select(a => a.Cluster).ToArray();

    [Fact]
    public void A_wave_starts_at_most_maxParallel_clusters_and_the_next_wave_waits_until_it_is_done()
    {
        var run = new Run(Plan(Wave("canary", 1, "a"), Wave("europe", 2, "b", "c", "d")));

        Assert.Equal(["a"], Started(run.DecideAndWrite(T0)));
        Assert.Empty(run.DecideAndWrite(T0.AddSeconds(1)).Actions);

        run.Report("a", HealthyNew);
        var next = run.DecideAndWrite(T0.AddSeconds(2));
        Assert.Equal(["b", "c"], Started(next));
        Assert.Equal("wave europe: 0 of 3 clusters Healthy, 2 in progress (maxParallel 2)", next.Message);

        run.Report("b", HealthyNew);
        Assert.Equal(["d"], Started(run.DecideAndWrite(T0.AddSeconds(3))));
        run.Report("c", HealthyNew);
        run.Report("d", HealthyNew);
        var done = run.DecideAndWrite(T0.AddSeconds(4));
        Assert.Equal(FleetRunPhase.Completed, done.State.Phase);
        Assert.Equal("completed: 4 of 4 clusters Healthy", done.Message);
        Assert.Null(done.WakeAt);
    }

    [Fact]
    public void Healthy_means_on_the_new_revision_with_the_VirtualService_back_at_100_0()
    {
        var run = new Run(Plan(Wave("only", 1, "a")));
        run.DecideAndWrite(T0);

        run.Report("a", HealthyNew with { CanaryWeight = 100 }); // promoted, the last traffic write still to come
        run.Decide(T0.AddSeconds(1));
        Assert.Equal(FleetClusterState.Progressing, run.StateOf("a"));
        run.Report("a", HealthyNew with { StableHash = Old }); // Healthy, but still the old revision
        run.Decide(T0.AddSeconds(2));
        Assert.Equal(FleetClusterState.Progressing, run.StateOf("a"));

        run.Report("a", HealthyNew);
        run.Decide(T0.AddSeconds(3));
        Assert.Equal(FleetClusterState.Healthy, run.StateOf("a"));
    }

    [Fact]
    public void The_fleet_wide_budget_caps_new_starts_and_the_line_says_so()
    {
        var run = new Run(Plan(Wave("all", 3, "a", "b", "c")));

        var decision = run.DecideAndWrite(T0, freeSlots: 1);

        Assert.Equal(["a"], Started(decision));
        Assert.Equal("wave all: 0 of 3 clusters Healthy, 1 in progress (maxParallel 3), waiting for a fleet-wide slot (Coordinator:Fleet:MaxClustersInProgress)",
            FleetMessages.Describe(Plan(Wave("all", 3, "a", "b", "c")), run.State, T0, 0));
    }

    [Fact]
    public void The_next_wave_waits_for_the_bake_time_then_for_approval()
    {
        var plan = Plan(Wave("canary", 1, "a") with { BakeTime = TimeSpan.FromSeconds(30) }, Wave("europe", 1, "b") with { RequireApproval = true });
        var run = new Run(plan);
        run.DecideAndWrite(T0);
        run.Report("a", HealthyNew);

        var baking = run.DecideAndWrite(T0.AddSeconds(10));
        Assert.Equal(FleetRunPhase.Baking, baking.State.Phase);
        Assert.Equal(T0.AddSeconds(40), baking.WakeAt);
        Assert.Equal("wave canary: 1 of 1 clusters Healthy, baking until 12:00:40", baking.Message);
        Assert.Empty(run.DecideAndWrite(T0.AddSeconds(39)).Actions);

        var waiting = run.DecideAndWrite(T0.AddSeconds(40));
        Assert.Equal(FleetRunPhase.WaitingForApproval, waiting.State.Phase);
        Assert.Equal("wave europe: waiting for approval (1 cluster)", waiting.Message);
        Assert.Empty(waiting.Actions);

        var (approved, error) = FleetCommands.Approve(plan, run.State, null, "alice");
        Assert.Null(error);
        run.State = approved!;
        Assert.Equal("alice", run.State.Waves[1].ApprovedBy);
        Assert.Equal(["b"], Started(run.DecideAndWrite(T0.AddSeconds(41))));
    }

    [Fact]
    public void A_wave_approved_ahead_of_time_does_not_stop_and_unknown_waves_are_refused()
    {
        var plan = Plan(Wave("canary", 1, "a"), Wave("europe", 1, "b") with { RequireApproval = true });
        var run = new Run(plan);
        Assert.Equal("wave", FleetCommands.Approve(plan, run.State, "asia", "").Error!.Field);
        Assert.Contains("no wave is waiting for approval", FleetCommands.Approve(plan, run.State, null, "").Error!.Message);

        run.State = FleetCommands.Approve(plan, run.State, "europe", "bob").State!;
        run.DecideAndWrite(T0);
        run.Report("a", HealthyNew);
        Assert.Equal(["b"], Started(run.DecideAndWrite(T0.AddSeconds(1))));
    }

    [Fact]
    public void A_degraded_cluster_fails_is_aborted_and_a_spent_budget_halts_aborting_the_clusters_in_progress()
    {
        var plan = Plan(Wave("europe", 3, "a", "b", "c", "d") with { FailureBudget = 1 });
        var run = new Run(plan);
        run.DecideAndWrite(T0);

        run.Report("a", Canary with { Phase = "Degraded", Message = "ProgressDeadlineExceeded" });
        var first = run.DecideAndWrite(T0.AddSeconds(1));
        Assert.Equal(FleetClusterState.Failed, run.StateOf("a"));
        Assert.Equal("the Rollout is Degraded: ProgressDeadlineExceeded", run.State.Cluster("a").FailureReason);
        Assert.Contains(new AbortCluster("a"), first.Actions);
        Assert.Equal(["d"], Started(first)); // within budget: the wave goes on

        run.Report("b", Canary with { Aborted = true });
        var halted = run.DecideAndWrite(T0.AddSeconds(2));
        Assert.Equal(FleetRunPhase.Halted, halted.State.Phase);
        Assert.Equal("halted: failure budget of wave europe spent (2 failed, budget 1); 0 of 4 clusters Healthy, 2 failed, 2 aborted", halted.Message);
        Assert.Equal([new AbortCluster("c"), new AbortCluster("d")], halted.Actions.Where(a => a.Cluster is "c" or "d").ToArray());
        Assert.DoesNotContain(halted.Actions, a => a is AbortCluster { Cluster: "b" }); // it aborted itself
        Assert.Empty(run.DecideAndWrite(T0.AddSeconds(3)).Actions);
    }

    [Fact]
    public void The_run_budget_counts_failures_across_waves_and_resume_accepts_those_so_far()
    {
        var plan = new FleetPlan([Wave("one", 1, "a") with { FailureBudget = 1 }, Wave("two", 1, "b") with { FailureBudget = 1 }, Wave("three", 1, "c")], RunFailureBudget: 1);
        var run = new Run(plan);
        run.DecideAndWrite(T0);
        run.Report("a", Canary with { Phase = "Degraded" });
        run.DecideAndWrite(T0.AddSeconds(1));
        run.Report("b", Canary with { Phase = "Degraded" });
        var halted = run.DecideAndWrite(T0.AddSeconds(2));
        Assert.Equal("failure budget of the run spent (2 failed, budget 1)", halted.State.StopReason);

        run.State = FleetCommands.Resume(run.State).State!;
        Assert.Equal(["c"], Started(run.DecideAndWrite(T0.AddSeconds(3))));
        Assert.Equal(FleetRunPhase.Progressing, run.State.Phase);
    }

    [Fact]
    public void Not_healthy_within_clusterTimeout_fails_and_an_unreachable_cluster_follows_the_policy()
    {
        var plan = Plan(Wave("all", 2, "a", "b") with { FailureBudget = 2 });
        var skip = new Run(plan, Spec with { Unreachable = UnreachablePolicy.Skip });
        var decision = skip.Decide(T0);
        skip.State = FleetOutcomes.Written(skip.State, "a", New, Old, T0);
        skip.State = FleetOutcomes.Unreachable(skip.State, "b", T0);
        Assert.Equal(T0 + FleetPlanner.WriteRetry, skip.Decide(T0.AddMilliseconds(10)).WakeAt);
        Assert.Equal(["b"], Started(skip.Decide(T0 + FleetPlanner.WriteRetry))); // the write is tried again
        skip.State = FleetOutcomes.Unreachable(skip.State, "b", T0 + FleetPlanner.WriteRetry);
        skip.Report("a", Canary);

        var timedOut = skip.Decide(T0.AddMinutes(5));
        Assert.Equal(FleetClusterState.Failed, skip.StateOf("a"));
        Assert.Equal("not Healthy on the new revision within clusterTimeout 5m", skip.State.Cluster("a").FailureReason);
        Assert.Equal(FleetClusterState.Skipped, skip.StateOf("b"));
        Assert.Equal("unreachable since 12:00:00 (clusterTimeout 5m)", skip.State.Cluster("b").FailureReason);
        Assert.Equal(1, timedOut.State.Failures);
        Assert.Equal(2, decision.Actions.Count);

        var wait = new Run(plan, Spec with { Unreachable = UnreachablePolicy.Wait });
        wait.Decide(T0);
        wait.State = FleetOutcomes.Unreachable(wait.State, "a", T0);
        wait.Decide(T0.AddMinutes(6));
        Assert.Equal(FleetClusterState.Progressing, wait.StateOf("a"));
        Assert.Contains("a unreachable since 12:00:00", FleetMessages.Describe(plan, wait.State, T0.AddMinutes(6), 10));
    }

    [Fact]
    public void Revert_goes_last_wave_first_with_the_waves_maxParallel_until_each_cluster_is_back_at_100_0()
    {
        var plan = Plan(Wave("canary", 1, "a"), Wave("europe", 1, "b", "c"));
        var run = new Run(plan, Spec with { OnFailure = FailurePolicy.Revert });
        run.DecideAndWrite(T0);
        run.Report("a", HealthyNew);
        run.DecideAndWrite(T0.AddSeconds(1));
        run.Report("b", HealthyNew);
        run.DecideAndWrite(T0.AddSeconds(2));
        run.Report("c", Canary with { Phase = "Degraded" });

        var reverting = run.DecideAndWrite(T0.AddSeconds(3));
        Assert.Equal(FleetRunPhase.Reverting, reverting.State.Phase);
        Assert.Equal([new AbortCluster("c"), new RevertCluster("b")], reverting.Actions.ToArray());

        var back = new ClusterProgress { Exists = true, Phase = "Healthy", CurrentPodHash = Old, StableHash = Old };
        run.Report("b", back with { CanaryWeight = 30 });
        Assert.Empty(run.DecideAndWrite(T0.AddSeconds(4)).Actions); // not yet 100/0
        run.Report("b", back);
        Assert.Equal([new RevertCluster("c")], run.DecideAndWrite(T0.AddSeconds(5)).Actions.ToArray());
        run.Report("c", back);
        Assert.Equal([new RevertCluster("a")], run.DecideAndWrite(T0.AddSeconds(6)).Actions.ToArray());
        run.Report("a", back);
        var reverted = run.DecideAndWrite(T0.AddSeconds(7));
        Assert.Equal(FleetRunPhase.Reverted, reverted.State.Phase);
        Assert.All(reverted.State.Clusters, c => Assert.Equal(FleetClusterState.Reverted, c.State));
        Assert.Equal(T0.AddSeconds(7), reverted.State.FinishedAt);
    }

    [Fact]
    public void A_completed_run_reverts_on_fleet_revert_and_on_abort_with_revert()
    {
        var plan = Plan(Wave("all", 1, "a"));
        foreach (var command in new Func<FleetRunState, FleetRunState>[]
                 {
                     state => FleetCommands.Revert(state, "dave").State!,
                     state => FleetCommands.Abort(state, revert: true, "dave").State!,
                 })
        {
            var run = new Run(plan);
            run.DecideAndWrite(T0);
            run.Report("a", HealthyNew);
            Assert.Equal(FleetRunPhase.Completed, run.DecideAndWrite(T0.AddSeconds(1)).State.Phase);

            run.State = command(run.State);
            var reverting = run.DecideAndWrite(T0.AddSeconds(2));
            Assert.Equal(FleetRunPhase.Reverting, reverting.State.Phase);
            Assert.Equal([new RevertCluster("a")], reverting.Actions.ToArray());
            run.Report("a", new ClusterProgress { Exists = true, Phase = "Healthy", CurrentPodHash = Old, StableHash = Old });
            var reverted = run.DecideAndWrite(T0.AddSeconds(3));
            Assert.Equal(FleetRunPhase.Reverted, reverted.State.Phase);
            Assert.Equal(T0.AddSeconds(3), reverted.State.FinishedAt);
        }
    }

    [Fact]
    public void Halt_stops_new_starts_and_abort_with_revert_reverts_only_updated_clusters()
    {
        var plan = Plan(Wave("all", 1, "a", "b"));
        var run = new Run(plan);
        run.DecideAndWrite(T0);
        run.State = FleetCommands.Halt(run.State, "carol").State!;
        var halted = run.DecideAndWrite(T0.AddSeconds(1));
        Assert.Equal([new AbortCluster("a")], halted.Actions.ToArray());
        Assert.Equal("fleet halt requested by carol", halted.State.StopReason);
        Assert.StartsWith("halted: fleet halt requested by carol; ", halted.Message);

        run.State = FleetCommands.Abort(run.State, revert: true, "carol").State!;
        var revert = run.DecideAndWrite(T0.AddSeconds(2));
        Assert.Equal([new RevertCluster("a")], revert.Actions.ToArray());
        Assert.Equal(FleetClusterState.Pending, run.StateOf("b"));
        Assert.NotNull(FleetCommands.Resume(run.State).Error);
    }

    [Fact]
    public void The_run_state_round_trips_through_json_with_readable_enums()
    {
        var run = new Run(Plan(Wave("all", 1, "a")));
        run.DecideAndWrite(T0);
        var json = System.Text.Json.JsonSerializer.Serialize(run.State, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        Assert.Contains("\"state\":\"Progressing\"", json);
        var back = System.Text.Json.JsonSerializer.Deserialize<FleetRunState>(json, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        Assert.Equal(json, System.Text.Json.JsonSerializer.Serialize(back, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)));
    }

    [Fact]
    public void A_state_read_back_from_json_is_the_same_run_and_one_changed_cluster_or_wave_is_not()
    {
        var run = new Run(Plan(Wave("all", 1, "a", "b")));
        run.DecideAndWrite(T0);
        var options = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
        var back = System.Text.Json.JsonSerializer.Deserialize<FleetRunState>(System.Text.Json.JsonSerializer.Serialize(run.State, options), options)!;

        Assert.True(run.State.SameAs(back));
        Assert.False(run.State.SameAs(back.WithCluster(back.Cluster("b") with { State = FleetClusterState.Skipped })));
        Assert.False(run.State.SameAs(back.WithWave(0, back.Waves[0] with { Approved = true })));
        Assert.False(run.State.SameAs(back with { Halted = true }));
        Assert.Same(back, back.WithCluster(back.Cluster("a") with { }));
    }
}
