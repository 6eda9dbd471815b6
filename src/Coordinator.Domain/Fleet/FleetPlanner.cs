namespace Coordinator.Domain.Fleet;

/// <summary>
/// The fleet's decisions as a pure function: plan, spec, run state, what the clusters last reported, the clock and the
/// fleet-wide free slots in; new state, actions, next wake-up and the plain why-waiting line out. No Orleans, no I/O:
/// the grain applies the actions and feeds the outcomes back (<see cref="FleetOutcomes"/>).
/// </summary>
public static partial class FleetPlanner
{
    /// <summary>A Deployment write that failed (cluster unreachable) is tried again after this long.</summary>
    public static readonly TimeSpan WriteRetry = TimeSpan.FromSeconds(1);

    public static FleetDecision Decide(
        FleetPlan plan, FleetSpec spec, FleetRunState state, IReadOnlyDictionary<string, ClusterProgress> clusters,
        DateTimeOffset now, int freeGlobalSlots)
    {
        if (state.Finished) return new FleetDecision(state, [], null, FleetMessages.Describe(plan, state, now, freeGlobalSlots));

        var actions = new List<FleetAction>();
        var wake = new WakeTime();
        state = JudgeClusters(spec, state, clusters, now, actions, wake);
        state = CheckBudgets(plan, spec, state);
        state = StopRunning(state, actions);

        if (state.Reverting) state = Revert(plan, state, clusters, now, actions, wake);
        else if (!state.Halted && !state.Aborted) state = Advance(plan, state, now, freeGlobalSlots, actions, wake);
        state = state with { Phase = PhaseOf(plan, state) };
        if (state.Finished) state = state with { FinishedAt = state.FinishedAt ?? now };
        return new FleetDecision(state, actions, state.Finished ? null : wake.At, FleetMessages.Describe(plan, state, now, freeGlobalSlots));
    }

    /// <summary>Waves in order: start up to maxParallel clusters of the current wave; on to the next once it is done, baked and approved.</summary>
    private static FleetRunState Advance(
        FleetPlan plan, FleetRunState state, DateTimeOffset now, int freeGlobalSlots, List<FleetAction> actions, WakeTime wake)
    {
        var free = freeGlobalSlots;
        while (state.CurrentWave < plan.Waves.Count)
        {
            var index = state.CurrentWave;
            var wave = plan.Waves[index];
            var run = state.Waves[index];
            if (run.StartedAt is null)
            {
                if (wave.RequireApproval && !run.Approved) return state;
                run = run with { StartedAt = now };
                state = state.WithWave(index, run);
            }

            var inProgress = state.CountIn(index, FleetClusterState.Progressing);
            var unfinished = inProgress + state.CountIn(index, FleetClusterState.Pending);
            // The pending clusters of the state as it is now: the loop replaces `state`, not the sequence it walks.
            foreach (var pending in state.ClustersIn(index, FleetClusterState.Pending))
            {
                if (inProgress >= wave.MaxParallel || free <= 0) break;
                state = state.WithCluster(pending with { State = FleetClusterState.Progressing, StartedAt = now });
                actions.Add(new StartCluster(pending.Name));
                inProgress++;
                free--;
            }
            if (unfinished > 0) return state;

            // Every cluster of the wave has finished: bake, then on to the next wave.
            if (run.BakeUntil is null)
            {
                run = run with { BakeUntil = now + wave.BakeTime };
                state = state.WithWave(index, run);
            }
            if (run.BakeUntil > now)
            {
                wake.Add(run.BakeUntil.Value);
                return state;
            }
            state = state.WithWave(index, run with { FinishedAt = now }) with { CurrentWave = index + 1 };
        }
        return state;
    }

    /// <summary>Halted or aborted: clusters still progressing are aborted (their Rollout goes back to stable).</summary>
    private static FleetRunState StopRunning(FleetRunState state, List<FleetAction> actions)
    {
        if (!state.Halted && !state.Aborted) return state;
        foreach (var cluster in state.ClustersIn(FleetClusterState.Progressing).ToList())
        {
            state = state.WithCluster(cluster with
            {
                State = FleetClusterState.Aborted,
                FailureReason = state.StopReason,
                NextAttemptAt = null,
                AbortSent = cluster.AbortSent || cluster.Updated,
            });
            if (cluster.Updated && !cluster.AbortSent) actions.Add(new AbortCluster(cluster.Name));
        }
        return state;
    }

    /// <summary>Failures counted per wave and per run; a budget spent halts the run (and with onFailure revert, reverts it).</summary>
    private static FleetRunState CheckBudgets(FleetPlan plan, FleetSpec spec, FleetRunState state)
    {
        if (state.Halted || state.Aborted || state.Reverting) return state;
        var failures = state.Failures;
        if (failures <= state.AcceptedFailures) return state;
        string? reason = null;
        for (var i = 0; i < plan.Waves.Count && reason is null; i++)
        {
            var waveFailures = state.CountIn(i, FleetClusterState.Failed);
            if (waveFailures > plan.Waves[i].FailureBudget)
                reason = $"failure budget of wave {plan.Waves[i].Name} spent ({waveFailures} failed, budget {plan.Waves[i].FailureBudget})";
        }
        if (reason is null && failures > plan.RunFailureBudget)
            reason = $"failure budget of the run spent ({failures} failed, budget {plan.RunFailureBudget})";
        if (reason is null) return state;
        return state with { Halted = true, Reverting = spec.OnFailure == FailurePolicy.Revert, StopReason = reason };
    }

    private static FleetRunPhase PhaseOf(FleetPlan plan, FleetRunState state)
    {
        if (state.Reverting)
            return state.CountIn(FleetClusterState.Reverting) > 0 || state.Clusters.Any(NeedsRevert)
                ? FleetRunPhase.Reverting : FleetRunPhase.Reverted;
        if (state.Aborted) return FleetRunPhase.Aborted;
        if (state.Halted) return FleetRunPhase.Halted;
        if (state.CurrentWave >= plan.Waves.Count) return FleetRunPhase.Completed;
        var wave = state.Waves[state.CurrentWave];
        if (wave.StartedAt is null && plan.Waves[state.CurrentWave].RequireApproval && !wave.Approved) return FleetRunPhase.WaitingForApproval;
        return wave.BakeUntil is not null ? FleetRunPhase.Baking : FleetRunPhase.Progressing;
    }

    /// <summary>The earliest of the deadlines the decision depends on.</summary>
    private sealed class WakeTime
    {
        public DateTimeOffset? At { get; private set; }

        public void Add(DateTimeOffset at)
        {
            if (At is null || at < At) At = at;
        }
    }
}
