using Coordinator.Abstractions;
using Coordinator.Grpc.V1;
using Google.Protobuf.WellKnownTypes;

namespace Coordinator.Grpc;

/// <summary>Turns the fleet grain's snapshots and plan previews into the wire messages of <c>coordinator.v1.FleetRollouts</c>.</summary>
internal static class FleetMapping
{
    /// <summary>On the wire an unlimited budget is -1 (the grain says <see cref="int.MaxValue"/>).</summary>
    public const int Unlimited = -1;

    public static FleetRolloutReply ToMessage(this FleetSnapshot s)
    {
        var message = new FleetRolloutReply
        {
            Name = s.Name,
            Exists = s.Exists,
            Phase = s.Phase,
            Message = s.Message,
            Run = s.Run,
            RolloutName = s.RolloutName,
            RolloutNamespace = s.RolloutNamespace,
            Change = s.Change,
            Failures = s.Failures,
            FailureBudget = Budget(s.FailureBudget),
            OnFailure = s.OnFailure,
            StartedAt = Time(s.StartedAt),
            FinishedAt = Time(s.FinishedAt),
            NextWakeAt = Time(s.NextWakeAt),
            Version = s.Version,
        };
        message.Waves.AddRange(s.Waves.Select(ToMessage));
        return message;
    }

    private static FleetWave ToMessage(FleetWaveStatus w)
    {
        var message = new FleetWave
        {
            Name = w.Name,
            State = w.State,
            MaxParallel = w.MaxParallel,
            FailureBudget = Budget(w.FailureBudget),
            Failures = w.Failures,
            RequireApproval = w.RequireApproval,
            ApprovedBy = w.ApprovedBy,
            BakeTime = Duration.FromTimeSpan(w.BakeTime),
            BakeUntil = Time(w.BakeUntil),
            StartedAt = Time(w.StartedAt),
            FinishedAt = Time(w.FinishedAt),
        };
        message.Clusters.AddRange(w.Clusters.Select(c => new FleetWaveCluster
        {
            Cluster = c.Cluster,
            State = c.State,
            RolloutPhase = c.RolloutPhase,
            Step = c.Step ?? -1,
            StepCount = c.StepCount,
            Weight = c.Weight,
            Revision = c.Revision,
            StartedAt = Time(c.StartedAt),
            FinishedAt = Time(c.FinishedAt),
            FailureReason = c.FailureReason,
        }));
        return message;
    }

    public static FleetPlanReply ToMessage(this FleetPlanPreview p)
    {
        var message = new FleetPlanReply
        {
            Name = p.Name,
            EstimatedDuration = Duration.FromTimeSpan(p.EstimatedDuration),
            FailureBudget = Budget(p.FailureBudget),
        };
        message.Notes.AddRange(p.Notes);
        message.Waves.AddRange(p.Waves.Select(w =>
        {
            var wave = new V1.FleetPlanWave
            {
                Name = w.Name,
                MaxParallel = w.MaxParallel,
                BakeTime = Duration.FromTimeSpan(w.BakeTime),
                RequireApproval = w.RequireApproval,
                FailureBudget = Budget(w.FailureBudget),
                EstimatedDuration = Duration.FromTimeSpan(w.EstimatedDuration),
            };
            wave.Clusters.AddRange(w.Clusters);
            return wave;
        }));
        return message;
    }

    private static int Budget(int count) => count == int.MaxValue ? Unlimited : count;

    private static Timestamp? Time(DateTimeOffset? time) => time is { } t ? Timestamp.FromDateTimeOffset(t) : null;
}
