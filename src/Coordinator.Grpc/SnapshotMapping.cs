using Coordinator.Abstractions;
using Coordinator.Grpc.V1;
using Google.Protobuf.WellKnownTypes;

namespace Coordinator.Grpc;

/// <summary>Turns grain snapshots into the wire messages of <c>coordinator.v1</c>.</summary>
internal static class SnapshotMapping
{
    public static ClusterRollout ToMessage(this RolloutSnapshot s)
    {
        var message = new ClusterRollout
        {
            Cluster = s.Key.Cluster,
            Namespace = s.Key.Namespace,
            Name = s.Key.Name,
            Exists = s.Exists,
            Deleting = s.Deleting,
            Phase = s.Phase,
            Message = s.Message,
            CurrentStepIndex = s.CurrentStepIndex ?? -1,
            StepCount = s.StepCount,
            SetWeight = s.SetWeight,
            ActualWeight = s.ActualWeight,
            StableHash = s.StableHash,
            CurrentPodHash = s.CurrentPodHash,
            Revision = s.Revision,
            Aborted = s.Aborted,
            Paused = s.Paused,
            Version = s.Version,
            NextWakeAt = s.NextWakeAt is { } wake ? Timestamp.FromDateTimeOffset(wake) : null,
            CreatedAt = s.CreatedAt is { } created ? Timestamp.FromDateTimeOffset(created) : null,
            Replicas = new Replicas
            {
                Desired = s.Replicas.Desired,
                Current = s.Replicas.Current,
                Updated = s.Replicas.Updated,
                Ready = s.Replicas.Ready,
                Available = s.Replicas.Available,
            },
        };
        message.ReplicaSets.AddRange(s.ReplicaSets.Select(ToMessage));
        message.Events.AddRange(s.RecentEvents.Select(e => new Event
        {
            Time = Timestamp.FromDateTimeOffset(e.Time), Type = e.Type, Reason = e.Reason, Message = e.Message,
        }));
        message.Conditions.AddRange(s.Conditions.Select(c => new Condition
        {
            Type = c.Type, Status = c.Status, Reason = c.Reason, Message = c.Message,
        }));
        return message;
    }

    private static V1.ReplicaSet ToMessage(ReplicaSetSummary rs)
    {
        var message = new V1.ReplicaSet
        {
            Name = rs.Name,
            Hash = rs.Hash,
            Revision = rs.Revision,
            Desired = rs.Desired,
            Ready = rs.Ready,
            Available = rs.Available,
            ScaleDownDeadline = rs.ScaleDownDeadline is { } deadline ? Timestamp.FromDateTimeOffset(deadline) : null,
            CreatedAt = rs.CreatedAt is { } created ? Timestamp.FromDateTimeOffset(created) : null,
        };
        message.Images.AddRange(rs.Images);
        message.Roles.AddRange(rs.Roles);
        return message;
    }

    /// <summary>
    /// Puts each pod under the ReplicaSet of its pod-template hash (pods of ReplicaSets not in the message are dropped) and
    /// carries the reason when they could not be read.
    /// </summary>
    public static ClusterRollout WithPods(this ClusterRollout message, PodList list)
    {
        var pods = list.Pods;
        if (list.Error is { } error) message.PodsError = error;
        foreach (var rs in message.ReplicaSets)
        {
            rs.Pods.AddRange(pods.Where(p => p.Hash == rs.Hash).Select(p => new Pod
            {
                Name = p.Name,
                Status = p.Status,
                Ready = p.Ready,
                Total = p.Total,
                Restarts = p.Restarts,
                CreatedAt = p.CreatedAt is { } created ? Timestamp.FromDateTimeOffset(created) : null,
            }));
        }
        return message;
    }

    public static ClusterRollout Failed(RolloutKey key, string error) => new()
    {
        Cluster = key.Cluster, Namespace = key.Namespace, Name = key.Name, Error = error, CurrentStepIndex = -1,
    };

    public static Cluster ToMessage(this ClusterInfo info)
    {
        var message = new Cluster
        {
            Name = info.Name,
            Server = info.Server,
            Reachable = info.Reachable ?? false,
            Version = info.Version,
            Error = info.Error,
        };
        foreach (var (key, value) in info.Labels) message.Labels[key] = value;
        return message;
    }
}
