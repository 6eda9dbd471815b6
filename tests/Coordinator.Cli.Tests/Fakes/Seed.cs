extern alias cli;

using Google.Protobuf.WellKnownTypes;
using ClusterRollout = cli::Coordinator.Grpc.V1.ClusterRollout;
using Pod = cli::Coordinator.Grpc.V1.Pod;
using Replicas = cli::Coordinator.Grpc.V1.Replicas;
using ReplicaSet = cli::Coordinator.Grpc.V1.ReplicaSet;

namespace Coordinator.Cli.Tests.Fakes;

/// <summary>Hand-built messages (the CLI's copy of the contract) for the seed scenario.</summary>
public static class Seed
{
    public const string Blue = "argoproj/rollouts-demo:blue";
    public const string Yellow = "argoproj/rollouts-demo:yellow";

    public static Timestamp Ago(TimeSpan age) => Timestamp.FromDateTimeOffset(CliRun.Now - age);

    public static ReplicaSet Rs(string hash, int revision, int desired, int available, string image, TimeSpan age, params string[] roles)
    {
        var rs = new ReplicaSet
        {
            Name = $"rollouts-demo-{hash}", Hash = hash, Revision = revision, Desired = desired, Ready = available, Available = available,
            CreatedAt = Ago(age),
        };
        rs.Images.Add(image);
        rs.Roles.Add(roles);
        return rs;
    }

    public static Pod Pod(string name, string status, int ready, int total, TimeSpan age, int restarts = 0) =>
        new() { Name = name, Status = status, Ready = ready, Total = total, Restarts = restarts, CreatedAt = Ago(age) };

    /// <summary>Paused after the first setWeight: step 1/7, weight 5, blue stable and yellow canary.</summary>
    public static ClusterRollout PausedAfterFirstStep(string cluster = "dev")
    {
        var c = new ClusterRollout
        {
            Cluster = cluster, Namespace = "default", Name = "rollouts-demo", Exists = true,
            Phase = "Paused", Message = "CanaryPauseStep", CurrentStepIndex = 1, StepCount = 7, SetWeight = 5, ActualWeight = 5,
            StableHash = "687d76d795", CurrentPodHash = "6cf78c66c5", Revision = 2, Paused = true,
            Replicas = new Replicas { Desired = 1, Current = 2, Updated = 1, Ready = 2, Available = 2 },
            CreatedAt = Ago(TimeSpan.FromMinutes(5)),
        };
        c.ReplicaSets.Add(Rs("687d76d795", 1, 1, 1, Blue, TimeSpan.FromMinutes(5), "stable"));
        c.ReplicaSets.Add(Rs("6cf78c66c5", 2, 1, 1, Yellow, TimeSpan.FromSeconds(40), "canary"));
        c.ReplicaSets[0].Pods.Add(Pod("rollouts-demo-687d76d795-tw4zx", "Running", 1, 1, TimeSpan.FromMinutes(5)));
        c.ReplicaSets[1].Pods.Add(Pod("rollouts-demo-6cf78c66c5-2bq8k", "Running", 1, 1, TimeSpan.FromSeconds(40)));
        return c;
    }

    /// <summary>Just promoted: yellow is stable, blue still runs until its scale-down deadline.</summary>
    public static ClusterRollout Healthy(string cluster = "dev", TimeSpan? deadlineIn = null)
    {
        var c = new ClusterRollout
        {
            Cluster = cluster, Namespace = "default", Name = "rollouts-demo", Exists = true,
            Phase = "Healthy", CurrentStepIndex = 7, StepCount = 7, SetWeight = 100, ActualWeight = 100,
            StableHash = "6cf78c66c5", CurrentPodHash = "6cf78c66c5", Revision = 2,
            Replicas = new Replicas { Desired = 1, Current = 1, Updated = 1, Ready = 1, Available = 1 },
        };
        var old = Rs("687d76d795", 1, 1, 1, Blue, TimeSpan.FromMinutes(5));
        old.ScaleDownDeadline = Timestamp.FromDateTimeOffset(CliRun.Now + (deadlineIn ?? TimeSpan.FromSeconds(25)));
        c.ReplicaSets.Add(old);
        c.ReplicaSets.Add(Rs("6cf78c66c5", 2, 1, 1, Yellow, TimeSpan.FromMinutes(2), "stable", "canary"));
        return c;
    }
}
