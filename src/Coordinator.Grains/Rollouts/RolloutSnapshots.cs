using System.Text.Json.Nodes;
using Coordinator.Abstractions;
using Coordinator.Domain.Observation;
using Coordinator.Domain.State;

namespace Coordinator.Grains.Rollouts;

/// <summary>Builds what users see (the fields of <c>kubectl argo rollouts get rollout</c>) from spec, status and the last observation.</summary>
internal static class RolloutSnapshots
{
    internal const int EventsInSnapshot = 30;

    /// <summary>
    /// The snapshot of now. What did not change since <paramref name="previous"/> (the last one published) is taken over
    /// from it rather than built again: a Rollout keeps its last 64 snapshots for watchers, so each lives through several
    /// collections, and most of one is the same as the one before (the events, the ReplicaSets, the conditions).
    /// </summary>
    public static RolloutSnapshot Create(
        RolloutKey key, RolloutSpec? spec, RolloutStatus status, RolloutGrainState state,
        ClusterObservation? observation, string? lastError, DateTimeOffset now, RolloutSnapshot? previous = null)
    {
        if (spec is null)
            return new RolloutSnapshot { Key = key, Exists = false, Version = state.Version };

        var steps = spec.Strategy.Canary?.Steps ?? [];
        var message = status.Message;
        if (lastError is not null) message = string.IsNullOrEmpty(message) ? lastError : $"{message} (last cluster call failed: {lastError})";
        if (previous is not null && previous.Message == message) message = previous.Message;
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
            ReplicaSets = ReplicaSets(observation, status, previous?.ReplicaSets),
            RecentEvents = RecentEvents(state.Events, previous?.RecentEvents),
            Conditions = Conditions(status, previous?.Conditions),
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

    private static IReadOnlyList<ReplicaSetSummary> ReplicaSets(ClusterObservation? observation, RolloutStatus status, IReadOnlyList<ReplicaSetSummary>? previous)
    {
        if (observation is null) return [];
        var summaries = observation.ReplicaSets
            .OrderByDescending(rs => rs.Revision ?? 0)
            .Select(rs => Summarize(rs, status, previous?.FirstOrDefault(p => p.Name == rs.Name)))
            .ToList();
        return previous is not null && summaries.Count == previous.Count && summaries.Select((s, i) => ReferenceEquals(s, previous[i])).All(same => same)
            ? previous
            : summaries;
    }

    private static IReadOnlyList<RolloutEventRecord> RecentEvents(List<RolloutEventRecord> events, IReadOnlyList<RolloutEventRecord>? previous)
    {
        var count = Math.Min(EventsInSnapshot, events.Count);
        // Events are only appended (and the oldest dropped): the same first and last record mean the same window.
        if (previous is not null && previous.Count == count
            && (count == 0 || (ReferenceEquals(previous[0], events[^count]) && ReferenceEquals(previous[^1], events[^1]))))
            return previous;
        return events.GetRange(events.Count - count, count);
    }

    private static IReadOnlyList<ConditionSummary> Conditions(RolloutStatus status, IReadOnlyList<ConditionSummary>? previous)
    {
        var conditions = status.Conditions;
        if (previous is not null && previous.Count == conditions.Length
            && previous.Select((p, i) => p.Type == conditions[i].Type && p.Status == conditions[i].Status && p.Reason == conditions[i].Reason
                && p.Message == conditions[i].Message).All(same => same))
            return previous;
        return conditions.Select(c => new ConditionSummary(c.Type, c.Status, c.Reason, c.Message)).ToList();
    }

    /// <summary>The summary of <paramref name="rs"/>: <paramref name="previous"/> itself when nothing in it changed.</summary>
    private static ReplicaSetSummary Summarize(ObservedReplicaSet rs, RolloutStatus status, ReplicaSetSummary? previous)
    {
        var summary = Summarize(rs, status);
        return previous is not null && SameSummary(previous, summary) ? previous : summary;
    }

    private static bool SameSummary(ReplicaSetSummary a, ReplicaSetSummary b) =>
        a with { Images = b.Images, Roles = b.Roles } == b && a.Images.SequenceEqual(b.Images) && a.Roles.SequenceEqual(b.Roles);

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
