using System.Diagnostics;
using Coordinator.Abstractions;
using Coordinator.Domain.Fleet;
using Coordinator.Grains.Rollouts;
using Microsoft.Extensions.Logging;

namespace Coordinator.Grains.Fleet;

/// <summary>
/// The fleet's loop: decide (pure planner) → lease fleet-wide slots → persist → write to the clusters → feed the
/// outcomes back, until the planner has nothing left to do now; then sleep until the next deadline or notification.
/// </summary>
public sealed partial class FleetRolloutGrain
{
    /// <summary>What a cluster call did to the run state, applied once every call of a decision has returned.</summary>
    private delegate FleetRunState Outcome(FleetRunState state, DateTimeOffset now);

    /// <summary>A guard against a planner that keeps asking for actions, not a budget.</summary>
    private const int MaxPasses = 16;

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    private bool _refreshProgress;

    /// <summary>Starts written to their clusters and not yet recorded, by cluster.</summary>
    private readonly Dictionary<string, Task> _starting = new(StringComparer.Ordinal);

    /// <summary>Clusters whose Rollout notified the fleet since their start was sent: their notifications are newer than its reply.</summary>
    private readonly HashSet<string> _heardSinceStart = new(StringComparer.Ordinal);

    /// <summary>Outcomes of starts that returned, recorded by the next pass (never in the middle of one).</summary>
    private readonly List<(string Cluster, Outcome Outcome)> _landed = [];

    /// <summary>Outcomes recorded into the run state and not saved yet.</summary>
    private bool _outcomesUnsaved;
    private int _freeSlots = int.MaxValue;

    /// <summary>The fleet-wide slots this activation knows it holds; null until it has told the budget (after an activation).</summary>
    private HashSet<string>? _leased;

    /// <summary>The cluster list <see cref="_leased"/> was taken from: the same list has the same clusters in progress.</summary>
    private IReadOnlyList<FleetClusterRun>? _leasedFrom;

    private async Task DriveAsync()
    {
        if (_run is null || _plan is null || _spec is null) return;
        var startedAt = Stopwatch.GetTimestamp();
        try
        {
            await DrivePassesAsync();
        }
        finally
        {
            SpaceNextPass(startedAt);
        }
        // A start that landed while this pass saved or scheduled is recorded soon, not at the next deadline.
        if (_landed.Count > 0) RequestDrive();
    }

    private async Task DrivePassesAsync()
    {
        if (_run is null || _plan is null || _spec is null) return;
        if (_run.Finished && _state.State.QueuedSpecJson is not null) await StartQueuedRunAsync();
        // A cluster past clusterTimeout is judged on a fresh report: a failing cluster call is not published by its Rollout.
        // Every pass of this drive decides at this same instant: a later reading could put a cluster past its timeout
        // that was not refreshed and probed here, and judge it Failed where it is unreachable (the next drive, woken at
        // the decision's deadline, looks again).
        var now = _time.GetUtcNow();
        if (_refreshProgress || _run.ClustersIn(FleetClusterState.Progressing).Any(c => c.WrittenAt + _spec.ClusterTimeout <= now))
            await RefreshProgressAsync(now);

        DateTimeOffset? wakeAt = null;
        for (var pass = 0; pass < MaxPasses; pass++)
        {
            _freeSlots = await Budget.Free();
            var landed = ApplyLanded();
            var before = _run;
            var decision = FleetPlanner.Decide(_plan, _spec, before, ReportsToJudge(), now, _freeSlots);
            var next = decision.State;
            wakeAt = decision.WakeAt;
            if (_starting.Count > 0 && (next.Halted || next.Aborted || next.Reverting))
            {
                // A decision that stops the run must see every cluster whose write has landed (it aborts or reverts those).
                await StartsLandedAsync();
                continue;
            }

            // New changes (starts, reverts) need a fleet-wide slot each; a cluster refused one stays as it was.
            var wanted = decision.Actions.Where(a => a is StartCluster or RevertCluster && !before.Cluster(a.Cluster).InProgress).Select(a => a.Cluster).ToList();
            var denied = new HashSet<string>(StringComparer.Ordinal);
            if (wanted.Count > 0)
            {
                var granted = await Budget.Acquire(_name, wanted);
                _leased?.UnionWith(granted);
                denied.UnionWith(wanted.Except(granted));
            }
            foreach (var cluster in denied) next = next.WithCluster(before.Cluster(cluster));
            // A start still on its way is not a start to try again.
            var actions = decision.Actions.Where(a => !denied.Contains(a.Cluster) && !(a is StartCluster && _starting.ContainsKey(a.Cluster))).ToList();

            _outcomesUnsaved |= landed;
            // A new cluster list means a cluster changed (WithCluster keeps the list otherwise): no need to compare them all.
            var changed = _outcomesUnsaved || !ReferenceEquals(before.Clusters, next.Clusters) || !before.SameAs(next);
            _run = next;
            // The decision is durable before its writes: after a crash, a cluster marked started but not written is started again.
            if (changed)
            {
                _outcomesUnsaved = false;
                // Its deadline (a bake's end) is backed by the reminder before it is durable and shown: a silo lost in between
                // must not leave a persisted deadline behind a reminder that still ticks on the old schedule (up to a period late).
                if (wakeAt is { } deadline) await EnsureReminderAsync(deadline);
                _state.State.WakeAt = wakeAt; // saved with the decision, so that the snapshot published with it shows it
                await PersistAsync();
            }
            else PublishIfChanged();
            if (before.Phase != next.Phase) _logger.LogInformation("Run {Run} is {Phase}: {Message}", next.Run, next.Phase, decision.Message);
            if (actions.Count == 0) break;

            // Starts go on without the fleet waiting for them: a slot freed meanwhile is filled by the next pass, and
            // each start's outcome is recorded by the first pass after it lands.
            foreach (var start in actions.OfType<StartCluster>()) Launch(start.Cluster, next.Run);
            var others = actions.Where(a => a is not StartCluster).ToList();
            if (others.Count == 0) break; // nothing more to decide before a start lands or a cluster reports
            await ExecuteAsync(others);
            await PersistAsync();
        }
        await ReleaseSlotsAsync();
        if (_run.Finished && _state.State.QueuedSpecJson is not null)
        {
            RequestDrive();
            return;
        }
        await ScheduleWakeAsync(wakeAt);
    }

    /// <summary>Runs the actions on the clusters in parallel, then records their outcomes in order.</summary>
    private async Task ExecuteAsync(IReadOnlyList<FleetAction> actions)
    {
        var run = _run!.Run;
        var outcomes = await Task.WhenAll(actions.Select(action => action switch
        {
            StartCluster start => StartAsync(start.Cluster, run),
            RevertCluster revert => RevertAsync(revert.Cluster, run),
            AbortCluster abort => AbortAsync(abort.Cluster),
            _ => throw new InvalidOperationException($"unknown fleet action {action}"),
        }));
        var now = _time.GetUtcNow();
        foreach (var outcome in outcomes) _run = outcome(_run!, now);
    }

    private void Launch(string cluster, int run)
    {
        _heardSinceStart.Remove(cluster);
        _starting[cluster] = LandAsync(cluster, StartAsync(cluster, run));
    }

    private async Task LandAsync(string cluster, Task<Outcome> start)
    {
        Outcome outcome;
        try
        {
            outcome = await start;
        }
        catch (Exception ex)
        {
            // Not a cluster's answer (those are outcomes): the cluster stays started and not written, so it is started again.
            _logger.LogError(ex, "The change to cluster {Cluster} failed", cluster);
            outcome = (state, _) => state;
        }
        _landed.Add((cluster, outcome));
        RequestDrive();
    }

    /// <summary>
    /// What the clusters reported, except those whose start is on its way: until its reply, a cluster's report may be
    /// from before the start (an aborted canary that the start retries) and must not judge it.
    /// </summary>
    private IReadOnlyDictionary<string, ClusterProgress> ReportsToJudge() =>
        _starting.Count == 0 ? _progress : new ReportsWithout(_progress, _starting.ContainsKey);

    /// <summary>Records the starts that returned; true when there were any.</summary>
    private bool ApplyLanded()
    {
        if (_landed.Count == 0) return false;
        var now = _time.GetUtcNow();
        foreach (var (cluster, outcome) in _landed)
        {
            _run = outcome(_run!, now);
            _starting.Remove(cluster);
        }
        _landed.Clear();
        _outcomesUnsaved = true;
        return true;
    }

    /// <summary>Waits for every start in flight and records them (a command acts on the run with every write known).</summary>
    private async Task StartsLandedAsync()
    {
        while (_starting.Count > 0)
        {
            await Task.WhenAll(_starting.Values.ToList());
            ApplyLanded();
        }
    }

    private Task<Outcome> StartAsync(string cluster, int run) => WriteAsync(cluster, "change", async () =>
    {
        var result = await Member(cluster).StartFleetChange(_name, run, _spec!.TemplatePatchJson);
        // The reply may come after a newer notification of the same cluster (the fleet did not wait for it).
        if (!_heardSinceStart.Contains(cluster)) _progress[cluster] = result.Progress.ToDomain();
        _logger.LogInformation("Cluster {Cluster} started (target hash {Hash})", cluster, result.TargetHash);
        return (state, now) => FleetOutcomes.Written(state, cluster, result.TargetHash, result.PreviousHash, now);
    });

    private Task<Outcome> RevertAsync(string cluster, int run) => WriteAsync(cluster, "revert", async () =>
    {
        _progress[cluster] = (await Member(cluster).RevertFleetChange(_name, run)).ToDomain();
        _logger.LogInformation("Cluster {Cluster} is reverting", cluster);
        return (state, _) => FleetOutcomes.RevertWritten(state, cluster);
    });

    /// <summary>A Deployment write through the cluster's Rollout: unreachable clusters are tried again, refusals fail the cluster.</summary>
    private async Task<Outcome> WriteAsync(string cluster, string what, Func<Task<Outcome>> write)
    {
        try
        {
            return await write();
        }
        catch (Exception ex) when (Unreachable(ex))
        {
            _logger.LogWarning("The {What} could not reach cluster {Cluster}: {Error}", what, cluster, ex.Message);
            return (state, now) => FleetOutcomes.Unreachable(state, cluster, now);
        }
        catch (RolloutCommandException ex)
        {
            _logger.LogWarning("Cluster {Cluster} refused the {What}: {Error}", cluster, what, ex.Message);
            return (state, now) => FleetOutcomes.Refused(state, cluster, $"{ex.Field}: {ex.Message}", now);
        }
    }

    private async Task<Outcome> AbortAsync(string cluster)
    {
        try
        {
            await GrainReferences.Get<IRolloutGrain>(GrainFactory, RolloutKeyOf(cluster).ToString()).Abort();
            _logger.LogInformation("Cluster {Cluster} aborted", cluster);
        }
        catch (Exception ex) when (ex is RolloutCommandException || Unreachable(ex))
        {
            // The abort is recorded by the Rollout before it touches the cluster; a refusal means there is nothing to abort.
            _logger.LogWarning("Cluster {Cluster} could not be aborted: {Error}", cluster, ex.Message);
        }
        return (state, _) => state;
    }

    /// <summary>The cluster (or the grain call) failed in a way worth retrying.</summary>
    private static bool Unreachable(Exception ex) =>
        ex is RolloutCommandException { Failure: CommandFailure.Unavailable } or TimeoutException or OrleansException;

    /// <summary>
    /// Asks the clusters in progress where they are: after an activation or a silo failure notifications may have been
    /// lost, and a cluster past clusterTimeout is judged on a fresh report. Its Rollout may answer from a watch cache
    /// that no longer hears from the cluster, so whether the API server answers is probed for those directly.
    /// </summary>
    private async Task RefreshProgressAsync(DateTimeOffset now)
    {
        _refreshProgress = false;
        var members = _run!.Clusters.Where(c => c.InProgress && (c.Updated || c.RevertWritten)).ToList();
        var reports = await Task.WhenAll(members.Select(async cluster =>
        {
            try
            {
                var report = await Member(cluster.Name).FleetProgress();
                var timedOut = cluster.State == FleetClusterState.Progressing && cluster.WrittenAt + _spec!.ClusterTimeout <= now;
                return timedOut && report.LastCallFailure is null && await ProbeAsync(cluster.Name) is { } failure
                    ? report with { LastCallFailure = failure, FailingSince = now }
                    : report;
            }
            catch (Exception ex) when (Unreachable(ex))
            {
                return null;
            }
        }));
        foreach (var report in reports.OfType<MemberProgress>()) _progress[report.Cluster] = report.ToDomain();
    }

    /// <summary>Null when the cluster's API server answers <c>GET /version</c> in time, else why not (no request details).</summary>
    private async Task<string?> ProbeAsync(string cluster)
    {
        using var timeout = new CancellationTokenSource(ProbeTimeout);
        try
        {
            await _directory.ServerVersionAsync(cluster, timeout.Token);
            return null;
        }
        catch (Exception ex)
        {
            return ex is OperationCanceledException ? "the API server did not answer in time" : $"the API server cannot be reached ({ex.GetType().Name})";
        }
    }

    /// <summary>
    /// Clusters no longer in progress give their fleet-wide slot back: only those are sent (a large wave holds hundreds),
    /// except after an activation, when the budget is told every cluster this run still holds and frees the rest.
    /// </summary>
    private async Task ReleaseSlotsAsync()
    {
        if (_leased is not null && ReferenceEquals(_leasedFrom, _run!.Clusters)) return;
        var inProgress = _run!.ClustersIn(FleetClusterState.Progressing).Concat(_run.ClustersIn(FleetClusterState.Reverting))
            .Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        if (_leased is null) await Budget.Retain(_name, [.. inProgress]);
        else if (_leased.Where(c => !inProgress.Contains(c)).ToList() is { Count: > 0 } finished) await Budget.Release(_name, finished);
        (_leased, _leasedFrom) = (inProgress, _run.Clusters);
    }

    private IFleetMemberGrain Member(string cluster) => Member(cluster, _spec!);

    private RolloutKey RolloutKeyOf(string cluster) => new(cluster, _spec!.Rollout.Namespace, _spec.Rollout.Name);
}
