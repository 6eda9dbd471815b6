using Coordinator.Grpc.V1;
using Google.Protobuf.WellKnownTypes;

namespace Coordinator.Cli.Tests.Fakes;

/// <summary>Hand-built FleetRollout messages (the fake server's copy of the contract): the demo's three waves dev, staging, prod.</summary>
public static class FleetSeed
{
    public const string Name = "demo-yellow";

    private static Timestamp Ago(TimeSpan age) => Seed.Ago(age);

    public static FleetWaveCluster Cluster(string name, string state, string phase, int step, int weight, int revision, string reason = "") => new()
    {
        Cluster = name, State = state, RolloutPhase = phase, Step = step, StepCount = 7, Weight = weight, Revision = revision, FailureReason = reason,
    };

    public static FleetWave Wave(string name, string state, TimeSpan bake, params FleetWaveCluster[] clusters)
    {
        var wave = new FleetWave { Name = name, State = state, MaxParallel = 1, FailureBudget = 0, BakeTime = Duration.FromTimeSpan(bake) };
        wave.Clusters.AddRange(clusters);
        return wave;
    }

    /// <summary>dev done and baked, staging paused after its first setWeight, prod waiting for approval.</summary>
    public static FleetRolloutReply InProgress()
    {
        var reply = Run("Progressing", "wave staging: 0 of 1 clusters Healthy, 1 in progress (maxParallel 1)");
        reply.Waves.Add(Wave("dev", "Completed", TimeSpan.FromSeconds(10), Cluster("dev", "Healthy", "Healthy", -1, 0, 2)));
        reply.Waves.Add(Wave("staging", "Progressing", TimeSpan.FromSeconds(10), Cluster("staging", "Progressing", "Paused", 1, 5, 2)));
        var prod = Wave("prod", "Pending", TimeSpan.Zero, Cluster("prod", "Pending", "", -1, 0, 0));
        prod.RequireApproval = true;
        reply.Waves.Add(prod);
        return reply;
    }

    /// <summary>Every cluster Healthy on the new revision.</summary>
    public static FleetRolloutReply Completed()
    {
        var reply = Run("Completed", "every wave completed: 3 of 3 clusters Healthy");
        reply.FinishedAt = Ago(TimeSpan.Zero);
        foreach (var name in new[] { "dev", "staging", "prod" })
            reply.Waves.Add(Wave(name, "Completed", TimeSpan.Zero, Cluster(name, "Healthy", "Healthy", -1, 0, 2)));
        return reply;
    }

    /// <summary>staging failed (its pods never became Ready): the budget is spent and the run halted.</summary>
    public static FleetRolloutReply Halted()
    {
        var reply = Run("Halted", "wave staging: failure budget 0 spent (1 failed): halted");
        reply.Failures = 1;
        reply.Waves.Add(Wave("dev", "Completed", TimeSpan.Zero, Cluster("dev", "Healthy", "Healthy", -1, 0, 2)));
        var staging = Wave("staging", "Failed", TimeSpan.Zero, Cluster("staging", "Failed", "Degraded", 0, 0, 2, "progress deadline exceeded"));
        staging.Failures = 1;
        reply.Waves.Add(staging);
        return reply;
    }

    private static FleetRolloutReply Run(string phase, string message) => new()
    {
        Name = Name, Exists = true, Phase = phase, Message = message, Run = 1, RolloutName = "rollouts-demo", RolloutNamespace = "test",
        Change = "rollouts-demo=argoproj/rollouts-demo:yellow", FailureBudget = -1, OnFailure = "halt", StartedAt = Ago(TimeSpan.FromMinutes(3)),
        Version = 7,
    };

    public static FleetPlanReply Plan()
    {
        var plan = new FleetPlanReply { Name = Name, EstimatedDuration = Duration.FromTimeSpan(TimeSpan.FromSeconds(330)), FailureBudget = 1 };
        plan.Waves.Add(PlanWave("dev", TimeSpan.FromSeconds(10), false, 100, "dev"));
        plan.Waves.Add(PlanWave("staging", TimeSpan.FromSeconds(10), false, 100, "staging"));
        plan.Waves.Add(PlanWave("prod", TimeSpan.Zero, true, 90, "prod-b", "prod-a"));
        plan.Notes.Add("wave prod waits for `fleet approve`");
        return plan;
    }

    private static FleetPlanWave PlanWave(string name, TimeSpan bake, bool approval, int seconds, params string[] clusters)
    {
        var wave = new FleetPlanWave
        {
            Name = name, MaxParallel = 1, BakeTime = Duration.FromTimeSpan(bake), RequireApproval = approval, FailureBudget = -1,
            EstimatedDuration = Duration.FromTimeSpan(TimeSpan.FromSeconds(seconds)),
        };
        wave.Clusters.AddRange(clusters);
        return wave;
    }
}
