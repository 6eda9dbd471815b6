namespace Coordinator.Domain.Fleet;

/// <summary>
/// The fleet's commands as pure functions of the run state. Each returns the new state, or a <see cref="FleetCommandError"/>
/// saying why the command does not apply now; the planner does the rest on its next decision.
/// </summary>
public static class FleetCommands
{
    /// <summary>Approves the wave waiting for approval, or the named wave (ahead of time).</summary>
    public static (FleetRunState? State, FleetCommandError? Error) Approve(FleetPlan plan, FleetRunState state, string? wave, string approvedBy)
    {
        if (state.Finished || state.Aborted || state.Reverting) return (null, new FleetCommandError("wave", $"run {state.Run} is {state.Phase}: nothing to approve"));
        int index;
        if (wave is null)
        {
            index = state.CurrentWave;
            if (state.Phase != FleetRunPhase.WaitingForApproval)
                return (null, new FleetCommandError("wave", $"no wave is waiting for approval (the run is {state.Phase}); name a wave to approve it ahead of time"));
        }
        else
        {
            index = plan.Waves.ToList().FindIndex(w => w.Name == wave);
            if (index < 0) return (null, new FleetCommandError("wave", $"wave '{wave}' is not in the plan (waves: {string.Join(", ", plan.Waves.Select(w => w.Name))})"));
            if (state.Waves[index].StartedAt is not null) return (null, new FleetCommandError("wave", $"wave '{wave}' has already started"));
        }
        return (state.WithWave(index, state.Waves[index] with { Approved = true, ApprovedBy = approvedBy }), null);
    }

    /// <summary>No new cluster starts; clusters in progress are aborted.</summary>
    public static (FleetRunState? State, FleetCommandError? Error) Halt(FleetRunState state, string requestedBy)
    {
        if (state.Finished || state.Aborted) return (null, new FleetCommandError("name", $"run {state.Run} is {state.Phase}: nothing to halt"));
        if (state.Halted) return (state, null);
        return (state with { Halted = true, StopReason = By("fleet halt", requestedBy) }, null);
    }

    /// <summary>Continues a halted run: aborted clusters start again, failures so far are accepted.</summary>
    public static (FleetRunState? State, FleetCommandError? Error) Resume(FleetRunState state)
    {
        if (!state.Halted || state.Aborted || state.Reverting || state.Finished)
            return (null, new FleetCommandError("name", $"run {state.Run} is {state.Phase}: only a halted run resumes"));
        var clusters = state.Clusters
            .Select(c => c.State == FleetClusterState.Aborted
                ? c with { State = FleetClusterState.Pending, FailureReason = "", StartedAt = null, FinishedAt = null, AbortSent = false, NextAttemptAt = null }
                : c)
            .ToList();
        return (state with { Halted = false, StopReason = "", AcceptedFailures = state.Failures, Clusters = clusters }, null);
    }

    /// <summary>Ends the run; with <paramref name="revert"/> every updated cluster goes back to its previous template.</summary>
    public static (FleetRunState? State, FleetCommandError? Error) Abort(FleetRunState state, bool revert, string requestedBy)
    {
        if (state.Aborted || state.Reverting || state.Finished && !revert)
            return (null, new FleetCommandError("name", $"run {state.Run} is {state.Phase}: nothing to abort"));
        // A finished run's phase says so: it is decided again only once its phase no longer does.
        return (state with
        {
            Aborted = true, Halted = true, Reverting = revert, StopReason = By(revert ? "fleet abort --revert" : "fleet abort", requestedBy), FinishedAt = null,
            Phase = revert ? FleetRunPhase.Reverting : state.Phase,
        }, null);
    }

    /// <summary>Every updated cluster goes back to its previous template, last wave first (also after the run completed).</summary>
    public static (FleetRunState? State, FleetCommandError? Error) Revert(FleetRunState state, string requestedBy)
    {
        if (state.Reverting) return (state, null);
        if (!state.Clusters.Any(c => c.Updated)) return (null, new FleetCommandError("name", $"run {state.Run} has updated no cluster: nothing to revert"));
        return (state with { Halted = true, Reverting = true, StopReason = By("fleet revert", requestedBy), FinishedAt = null, Phase = FleetRunPhase.Reverting }, null);
    }

    /// <summary>"fleet halt requested by alice": why the run stopped, as its status line shows it.</summary>
    private static string By(string command, string requestedBy) =>
        string.IsNullOrEmpty(requestedBy) ? $"{command} requested" : $"{command} requested by {requestedBy}";
}

/// <summary>Why a fleet command does not apply now, naming the request field it is about.</summary>
public sealed record FleetCommandError(string Field, string Message);
