using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;

namespace Coordinator.Domain.Fleet;

/// <summary>
/// One run of a FleetRollout: what the fleet has done so far, per wave and per cluster. Persisted as JSON by the fleet
/// grain; every deadline (bake end, cluster timeout, next attempt) is a timestamp here, so a new activation loses nothing.
/// </summary>
public sealed record FleetRunState
{
    public int Run { get; init; }

    public FleetRunPhase Phase { get; init; } = FleetRunPhase.Progressing;

    /// <summary>Index of the wave in progress; equal to the wave count once every wave is done.</summary>
    public int CurrentWave { get; init; }

    public IReadOnlyList<FleetWaveRun> Waves { get; init; } = [];

    public IReadOnlyList<FleetClusterRun> Clusters { get; init; } = [];

    /// <summary>No new cluster starts (a user halt or a spent failure budget); clusters in progress are aborted.</summary>
    public bool Halted { get; init; }

    /// <summary>The run was ended by <c>fleet abort</c>: nothing starts again.</summary>
    public bool Aborted { get; init; }

    /// <summary>Every updated cluster goes back to its previous template, last wave first.</summary>
    public bool Reverting { get; init; }

    /// <summary>Why the run stopped, in plain words ("failure budget of wave europe spent (2 failed, budget 1)").</summary>
    public string StopReason { get; init; } = "";

    /// <summary>Failures a user accepted by resuming: budgets trip again only when failures go beyond this count.</summary>
    public int AcceptedFailures { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    [JsonIgnore]
    public int Failures => CountIn(FleetClusterState.Failed);

    [JsonIgnore]
    public bool Finished => Phase is FleetRunPhase.Completed or FleetRunPhase.Aborted or FleetRunPhase.Reverted;

    /// <summary>A new run over <paramref name="plan"/>: every cluster Pending, no wave started.</summary>
    public static FleetRunState Start(int run, FleetPlan plan, DateTimeOffset now) => new()
    {
        Run = run,
        StartedAt = now,
        Waves = plan.Waves.Select(w => new FleetWaveRun { Name = w.Name }).ToList(),
        Clusters = plan.Waves.SelectMany((w, index) => w.Clusters.Select(c => new FleetClusterRun { Name = c, Wave = index })).ToList(),
    };

    /// <summary>
    /// Each <see cref="Clusters"/> list's index (by name, by wave and state): a run of 10,000 clusters looks clusters up
    /// by name for every start and report, and counts them by state on every pass. Kept beside the state, not in it, so
    /// that the record's equality and JSON stay as they are, and so that a list set by <c>with</c> gets its own.
    /// </summary>
    private static readonly ConditionalWeakTable<IReadOnlyList<FleetClusterRun>, FleetClusterIndex> Indexes = new();

    private FleetClusterIndex Index => Indexes.GetValue(Clusters, FleetClusterIndex.Build);

    public FleetClusterRun Cluster(string name) =>
        Index.Positions.TryGetValue(name, out var index) ? Clusters[index] : throw new InvalidOperationException($"cluster {name} is not in run {Run}");

    /// <summary>The clusters in <paramref name="state"/>, wave by wave, in list order within a wave.</summary>
    public IEnumerable<FleetClusterRun> ClustersIn(FleetClusterState state)
    {
        var clusters = Clusters;
        return Index.In(state).Select(position => clusters[position]);
    }

    /// <summary>The clusters of <paramref name="wave"/> in <paramref name="state"/>, in list order.</summary>
    public IEnumerable<FleetClusterRun> ClustersIn(int wave, FleetClusterState state)
    {
        var clusters = Clusters;
        return Index.In(wave, state).Select(position => clusters[position]);
    }

    public int CountIn(FleetClusterState state) => Index.Count(state);

    public int CountIn(int wave, FleetClusterState state) => Index.Count(wave, state);

    public int CountInWave(int wave) => Index.CountInWave(wave);

    /// <summary>The state with <paramref name="cluster"/> in place of its namesake; this state itself when nothing changes.</summary>
    public FleetRunState WithCluster(FleetClusterRun cluster)
    {
        var index = Index;
        if (!index.Positions.TryGetValue(cluster.Name, out var position)) return this;
        var before = Clusters[position];
        if (before == cluster) return this;
        // An immutable tree list: replacing one of 10,000 clusters costs O(log n), not a copy of the list per start or report.
        var clusters = (Clusters as ImmutableList<FleetClusterRun> ?? ImmutableList.CreateRange(Clusters)).SetItem(position, cluster);
        Indexes.AddOrUpdate(clusters, index.With(position, before, cluster));
        return this with { Clusters = clusters };
    }

    /// <summary>
    /// The same run, field by field and cluster by cluster (a record's own equality compares the lists by reference).
    /// Cheap enough for every pass of the fleet's loop, unlike comparing the JSON of a thousand clusters.
    /// </summary>
    public bool SameAs(FleetRunState other) =>
        ReferenceEquals(this, other)
        || WithoutLists() == other.WithoutLists() && Waves.SequenceEqual(other.Waves)
        && (ReferenceEquals(Clusters, other.Clusters) || Clusters.SequenceEqual(other.Clusters));

    private FleetRunState WithoutLists() => this with { Waves = Array.Empty<FleetWaveRun>(), Clusters = Array.Empty<FleetClusterRun>() };

    public FleetRunState WithWave(int index, FleetWaveRun wave) =>
        this with { Waves = Waves.Select((w, i) => i == index ? wave : w).ToList() };
}

[JsonConverter(typeof(JsonStringEnumConverter<FleetRunPhase>))]
public enum FleetRunPhase
{
    Progressing,
    WaitingForApproval,
    Baking,
    Halted,
    Reverting,
    Reverted,
    Completed,
    Aborted,
}

public sealed record FleetWaveRun
{
    public string Name { get; init; } = "";

    public bool Approved { get; init; }

    /// <summary>Who approved the wave (empty when the caller is anonymous or no approval was needed).</summary>
    public string ApprovedBy { get; init; } = "";

    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Set when every cluster of the wave has finished; the next wave waits until then.</summary>
    public DateTimeOffset? BakeUntil { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<FleetClusterState>))]
public enum FleetClusterState
{
    Pending,
    /// <summary>Its Deployment is written (or being written) and its Rollout carries the change.</summary>
    Progressing,
    Healthy,
    Failed,
    /// <summary>Unreachable past clusterTimeout with <c>unreachable: skip</c>: not counted as a failure.</summary>
    Skipped,
    /// <summary>Stopped by a halt or an abort of the run before it finished.</summary>
    Aborted,
    Reverting,
    Reverted,
}

public sealed record FleetClusterRun
{
    public string Name { get; init; } = "";

    /// <summary>Index of the cluster's wave in the plan.</summary>
    public int Wave { get; init; }

    public FleetClusterState State { get; init; } = FleetClusterState.Pending;

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public string FailureReason { get; init; } = "";

    /// <summary>When the change landed in the Deployment: clusterTimeout for becoming Healthy counts from here.</summary>
    public DateTimeOffset? WrittenAt { get; init; }

    /// <summary>True once the template change is in the cluster's Deployment: only such clusters are reverted.</summary>
    public bool Updated { get; init; }

    /// <summary>The pod-template hash of the new template, known once it is written.</summary>
    public string? TargetHash { get; init; }

    /// <summary>The stable hash before the change: a revert is done when the cluster is back on it.</summary>
    public string? PreviousHash { get; init; }

    /// <summary>True once the previous template has been written back.</summary>
    public bool RevertWritten { get; init; }

    /// <summary>Since when calls to the cluster fail (as last reported); null while it answers.</summary>
    public DateTimeOffset? UnreachableSince { get; init; }

    /// <summary>A write that failed is tried again at this time.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>An abort was sent to the cluster's Rollout for this run.</summary>
    public bool AbortSent { get; init; }

    [JsonIgnore]
    public bool InProgress => State is FleetClusterState.Progressing or FleetClusterState.Reverting;
}
