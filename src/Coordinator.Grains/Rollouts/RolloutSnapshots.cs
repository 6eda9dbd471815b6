using System.Text.Json.Nodes;
using Coordinator.Abstractions;
using Coordinator.Domain.Observation;
using Coordinator.Domain.State;

namespace Coordinator.Grains.Rollouts;

/// <summary>Builds what users see (the fields of <c>kubectl argo rollouts get rollout</c>) from spec, status and the last observation.</summary>
internal static class RolloutSnapshots
{
    internal const int EventsInSnapshot = 30;

    public static RolloutSnapshot Create(
        RolloutKey key, RolloutSpec? spec, RolloutStatus status, RolloutGrainState state,
        ClusterObservation? observation, string? lastError, DateTimeOffset now)
    {
        if (spec is null)
            return new RolloutSnapshot { Key = key, Exists = false, Version = state.Version };

        var steps = spec.Strategy.Canary?.Steps ?? [];
        var message = status.Message;
        if (lastError is not null) message = string.IsNullOrEmpty(message) ? lastError : $"{message} (last cluster call failed: {lastError})";
        return new RolloutSnapshot
        {
            Key = key,
            Exists = true,
            Deleting = state.Deleting,
            Phase = state.Deleting ? "Deleting" : status.Phase.ToString(),
            Message = message,
            CurrentStepIndex = status.CurrentStepIndex,
            StepCount = steps.Length,
            SetWeight = SetWeight(spec, status),
            ActualWeight = ActualWeight(spec, status),
            StableHash = status.StableRS ?? "",
            CurrentPodHash = status.CurrentPodHash ?? "",
            Revision = status.CurrentRevision ?? 0,
            Aborted = status.Abort,
            Paused = spec.Paused || status.PauseConditions.Length > 0,
            Replicas = new ReplicaCounts
            {
                Desired = spec.Replicas ?? 1,
                Current = status.Replicas,
                Updated = status.UpdatedReplicas,
                Ready = status.ReadyReplicas,
                Available = status.AvailableReplicas,
            },
            ReplicaSets = observation?.ReplicaSets
                .OrderByDescending(rs => rs.Revision ?? 0)
                .Select(rs => Summarize(rs, status))
                .ToList() ?? [],
            RecentEvents = state.Events.TakeLast(EventsInSnapshot).ToList(),
            Conditions = status.Conditions.Select(c => new ConditionSummary(c.Type, c.Status, c.Reason, c.Message)).ToList(),
            Version = state.Version,
            NextWakeAt = state.WakeAt is { } wake && wake > now ? wake : null,
            CreatedAt = state.CreatedAt,
            RestartedAt = status.RestartedAt,
        };
    }

    /// <summary>Two snapshots show the same thing (ignoring the version).</summary>
    public static bool SameView(RolloutSnapshot a, RolloutSnapshot b) =>
        StateJson.Equal(a with { Version = 0, RecentEvents = [], NextWakeAt = null }, b with { Version = 0, RecentEvents = [], NextWakeAt = null });

    /// <summary>The plugin's SetWeight: 0 when aborted, 100 with no current step, else the last setWeight reached.</summary>
    private static int SetWeight(RolloutSpec spec, RolloutStatus status)
    {
        if (status.Abort) return 0;
        var steps = spec.Strategy.Canary?.Steps ?? [];
        if (status.CurrentStepIndex is not { } index || index >= steps.Length) return 100;
        var weight = 0;
        for (var i = 0; i <= index && i < steps.Length; i++)
            if (steps[i].SetWeight is { } w) weight = w;
        return weight;
    }

    /// <summary>The plugin's ActualWeight: the recorded canary weight, 100 when no step is current.</summary>
    private static int ActualWeight(RolloutSpec spec, RolloutStatus status)
    {
        var steps = spec.Strategy.Canary?.Steps ?? [];
        if (!status.Abort && (status.CurrentStepIndex is not { } index || index >= steps.Length)) return 100;
        return status.Canary.Weights?.Canary.Weight ?? 0;
    }

    private static ReplicaSetSummary Summarize(ObservedReplicaSet rs, RolloutStatus status)
    {
        var roles = new List<string>();
        if (rs.PodTemplateHash == status.StableRS) roles.Add("stable");
        if (rs.PodTemplateHash == status.CurrentPodHash && rs.PodTemplateHash != status.StableRS) roles.Add("canary");
        return new ReplicaSetSummary
        {
            Name = rs.Name,
            Hash = rs.PodTemplateHash,
            Revision = rs.Revision ?? 0,
            Desired = rs.Replicas,
            Ready = rs.ReadyReplicas,
            Available = rs.AvailableReplicas,
            Images = Images(rs.Template),
            Roles = roles,
            ScaleDownDeadline = rs.ScaleDownDeadline,
            CreatedAt = rs.CreationTimestamp == default ? null : rs.CreationTimestamp,
        };
    }

    private static IReadOnlyList<string> Images(JsonObject? template) =>
        (template?["spec"]?["containers"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(c => c["image"]?.GetValue<string>())
            .OfType<string>()
            .ToList();
}
