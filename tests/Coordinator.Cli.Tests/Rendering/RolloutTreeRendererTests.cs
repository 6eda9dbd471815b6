extern alias cli;

using Coordinator.Cli.Tests.Fakes;
using ClusterRollout = cli::Coordinator.Grpc.V1.ClusterRollout;
using RolloutTreeRenderer = cli::Coordinator.Cli.Rendering.RolloutTreeRenderer;

namespace Coordinator.Cli.Tests.Rendering;

public sealed class RolloutTreeRendererTests
{
    [Fact]
    public void Seed_state_paused_after_first_set_weight_matches_the_plugin_shape()
    {
        var text = RolloutTreeRenderer.Render(Seed.PausedAfterFirstStep(), CliRun.Now);

        Assert.Equal("""
            Name:            rollouts-demo
            Namespace:       default
            Cluster:         dev
            Status:          ॥ Paused
            Message:         CanaryPauseStep
            Strategy:        Canary
              Step:          1/7
              SetWeight:     5
              ActualWeight:  5
            Images:          argoproj/rollouts-demo:blue (stable)
                             argoproj/rollouts-demo:yellow (canary)
            Replicas:
              Desired:       1
              Current:       2
              Updated:       1
              Ready:         2
              Available:     2

            NAME                                       KIND        STATUS     AGE  INFO
            ⟳ rollouts-demo                            Rollout     ॥ Paused   5m
            ├──# revision:2
            │  └──⧉ rollouts-demo-6cf78c66c5           ReplicaSet  ✔ Healthy  40s  canary
            │     └──□ rollouts-demo-6cf78c66c5-2bq8k  Pod         ✔ Running  40s  ready:1/1
            └──# revision:1
               └──⧉ rollouts-demo-687d76d795           ReplicaSet  ✔ Healthy  5m   stable
                  └──□ rollouts-demo-687d76d795-tw4zx  Pod         ✔ Running  5m   ready:1/1

            """, text);
    }

    [Fact]
    public void Pods_that_could_not_be_listed_are_explained_under_the_replica_counts()
    {
        var healthy = Seed.Healthy();
        foreach (var rs in healthy.ReplicaSets) rs.Pods.Clear();
        healthy.PodsError = "list pods in test: 403 pods is forbidden: User \"system:serviceaccount:c:c\" cannot list resource \"pods\" in API group \"\" in the namespace \"test\"";

        var text = RolloutTreeRenderer.Render(healthy, CliRun.Now);

        Assert.Contains("  Available:     1\nWarning:         pods not shown: list pods in test: 403 pods is forbidden: User \"system:serviceaccount:c:c\" cannot list resource \"pods\"", text);
        Assert.DoesNotContain("Warning:", RolloutTreeRenderer.Render(Seed.Healthy(), CliRun.Now));
    }

    [Fact]
    public void Healthy_rollout_shows_no_message_stable_only_and_the_scale_down_delay()
    {
        var text = RolloutTreeRenderer.Render(Seed.Healthy(), CliRun.Now);

        Assert.Contains("Status:          ✔ Healthy\nStrategy:", text);
        Assert.DoesNotContain("Message:", text);
        Assert.Contains("  Step:          7/7\n", text);
        Assert.Contains("  SetWeight:     100\n", text);
        Assert.Contains("Images:          argoproj/rollouts-demo:yellow (stable)\nReplicas:", text);
        Assert.Contains("│  └──⧉ rollouts-demo-6cf78c66c5  ReplicaSet  ✔ Healthy  2m   stable\n", text);
        Assert.Contains("   └──⧉ rollouts-demo-687d76d795  ReplicaSet  ✔ Healthy  5m   delay:25s\n", text);
    }

    [Fact]
    public void Passed_deadline_and_scaled_down_replica_sets()
    {
        var passed = Seed.Healthy(deadlineIn: TimeSpan.FromSeconds(-3));
        Assert.Contains("ReplicaSet  ✔ Healthy  5m   delay:passed\n", RolloutTreeRenderer.Render(passed, CliRun.Now));

        var scaledDown = Seed.Healthy();
        scaledDown.ReplicaSets[0].Desired = 0;
        scaledDown.ReplicaSets[0].Available = 0;
        var text = RolloutTreeRenderer.Render(scaledDown, CliRun.Now);
        Assert.Contains("   └──⧉ rollouts-demo-687d76d795  ReplicaSet  • ScaledDown  5m\n", text);
    }

    [Fact]
    public void Degraded_rollout_shows_the_message_and_a_progressing_replica_set()
    {
        var degraded = Seed.PausedAfterFirstStep();
        degraded.Phase = "Degraded";
        degraded.Message = "RolloutAborted: Rollout aborted update to revision 2";
        degraded.CurrentStepIndex = 0;
        degraded.SetWeight = 0;
        degraded.ActualWeight = 0;
        degraded.ReplicaSets[1].Available = 0;
        degraded.ReplicaSets[1].Pods[0].Status = "ContainerCreating";
        degraded.ReplicaSets[1].Pods[0].Ready = 0;

        var text = RolloutTreeRenderer.Render(degraded, CliRun.Now);

        Assert.Contains("Status:          ✖ Degraded\nMessage:         RolloutAborted: Rollout aborted update to revision 2\n", text);
        Assert.Contains("  Step:          0/7\n  SetWeight:     0\n  ActualWeight:  0\n", text);
        Assert.Contains("⟳ rollouts-demo                            Rollout     ✖ Degraded           5m\n", text);
        Assert.Contains("│  └──⧉ rollouts-demo-6cf78c66c5           ReplicaSet  ◌ Progressing        40s  canary\n", text);
        Assert.Contains("│     └──□ rollouts-demo-6cf78c66c5-2bq8k  Pod         ◌ ContainerCreating  40s  ready:0/1\n", text);
    }

    [Fact]
    public void Pods_list_under_their_replica_set_with_restarts_only_when_there_are_some()
    {
        var c = Seed.PausedAfterFirstStep();
        var stable = c.ReplicaSets[0];
        stable.Pods[0].Restarts = 2;
        stable.Pods[0].Total = 2;
        stable.Pods[0].Ready = 2;
        stable.Pods.Add(Seed.Pod("rollouts-demo-687d76d795-zz9qm", "Pending", 0, 2, TimeSpan.FromSeconds(3)));
        c.ReplicaSets[1].Pods[0].Status = "CrashLoopBackOff";

        var text = RolloutTreeRenderer.Render(c, CliRun.Now);

        Assert.EndsWith("""
            ├──# revision:2
            │  └──⧉ rollouts-demo-6cf78c66c5           ReplicaSet  ✔ Healthy           40s  canary
            │     └──□ rollouts-demo-6cf78c66c5-2bq8k  Pod         ✖ CrashLoopBackOff  40s  ready:1/1
            └──# revision:1
               └──⧉ rollouts-demo-687d76d795           ReplicaSet  ✔ Healthy           5m   stable
                  ├──□ rollouts-demo-687d76d795-tw4zx  Pod         ✔ Running           5m   ready:2/2,restarts:2
                  └──□ rollouts-demo-687d76d795-zz9qm  Pod         ◌ Pending           3s   ready:0/2

            """, text);
    }

    [Fact]
    public void Rollout_age_comes_from_created_at_and_falls_back_to_the_oldest_replica_set()
    {
        var c = Seed.PausedAfterFirstStep();
        c.CreatedAt = Seed.Ago(TimeSpan.FromHours(3));
        Assert.Contains("⟳ rollouts-demo                            Rollout     ॥ Paused   3h\n", RolloutTreeRenderer.Render(c, CliRun.Now));

        c.CreatedAt = null;
        Assert.Contains("⟳ rollouts-demo                            Rollout     ॥ Paused   5m\n", RolloutTreeRenderer.Render(c, CliRun.Now));
    }

    [Fact]
    public void No_steps_omits_the_step_line()
    {
        var noSteps = Seed.Healthy();
        noSteps.CurrentStepIndex = -1;
        noSteps.StepCount = 0;
        Assert.DoesNotContain("Step:", RolloutTreeRenderer.Render(noSteps, CliRun.Now));
    }

    [Fact]
    public void Error_entry_and_missing_rollout_print_the_cluster_and_the_error()
    {
        var failed = new ClusterRollout { Cluster = "prod", Namespace = "default", Name = "rollouts-demo", CurrentStepIndex = -1, Error = "connection refused" };
        var missing = new ClusterRollout { Cluster = "staging", Namespace = "default", Name = "rollouts-demo", CurrentStepIndex = -1 };

        var text = RolloutTreeRenderer.Render([Seed.PausedAfterFirstStep(), failed, missing], CliRun.Now);

        Assert.Contains("""

            Name:            rollouts-demo
            Namespace:       default
            Cluster:         prod
            Error:           connection refused

            Name:            rollouts-demo
            Namespace:       default
            Cluster:         staging
            Error:           rollout 'rollouts-demo' not found

            """, text);
        Assert.StartsWith("Name:            rollouts-demo\nNamespace:       default\nCluster:         dev\n", text);
    }
}
