using System.Globalization;

namespace Coordinator.Domain.Fleet;

/// <summary>The one plain line that says why a run waits, or how it ended.</summary>
public static class FleetMessages
{
    public static string Describe(FleetPlan plan, FleetRunState state, DateTimeOffset now, int freeGlobalSlots)
    {
        switch (state.Phase)
        {
            case FleetRunPhase.Completed:
                return $"completed: {Tally(state)}";
            case FleetRunPhase.Aborted:
                return $"aborted ({state.StopReason}): {Tally(state)}";
            case FleetRunPhase.Reverted:
                return $"reverted ({state.StopReason}): {state.CountIn(FleetClusterState.Reverted)} clusters back on their previous revision";
            case FleetRunPhase.Halted:
                return $"halted: {state.StopReason}; {Tally(state)}";
            case FleetRunPhase.Reverting:
                return Reverting(plan, state);
        }
        if (state.CurrentWave >= plan.Waves.Count) return Tally(state);
        var wave = plan.Waves[state.CurrentWave];
        var run = state.Waves[state.CurrentWave];
        if (state.Phase == FleetRunPhase.WaitingForApproval)
            return $"wave {wave.Name}: waiting for approval ({Clusters(wave.Clusters.Count)})";

        var current = state.CurrentWave;
        var parts = new List<string> { $"{state.CountIn(current, FleetClusterState.Healthy)} of {state.CountInWave(current)} clusters Healthy" };
        var inProgress = state.CountIn(current, FleetClusterState.Progressing);
        if (inProgress > 0) parts.Add($"{inProgress} in progress (maxParallel {wave.MaxParallel})");
        var failed = state.CountIn(current, FleetClusterState.Failed);
        if (failed > 0) parts.Add($"{failed} failed (budget {wave.FailureBudget})");
        var skipped = state.CountIn(current, FleetClusterState.Skipped);
        if (skipped > 0) parts.Add($"{skipped} skipped");
        foreach (var unreachable in state.ClustersIn(current, FleetClusterState.Progressing).Where(c => c.UnreachableSince is not null))
            parts.Add($"{unreachable.Name} unreachable since {Clock(unreachable.UnreachableSince!.Value)}");
        if (state.CountIn(current, FleetClusterState.Pending) > 0 && inProgress < wave.MaxParallel && freeGlobalSlots <= 0)
            parts.Add("waiting for a fleet-wide slot (Coordinator:Fleet:MaxClustersInProgress)");
        if (run.BakeUntil is { } bake && bake > now) parts.Add($"baking until {Clock(bake)}");
        return $"wave {wave.Name}: {string.Join(", ", parts)}";
    }

    private static string Reverting(FleetPlan plan, FleetRunState state)
    {
        var wave = state.ClustersIn(FleetClusterState.Reverting).Select(c => c.Wave).DefaultIfEmpty(-1).Max();
        var updated = state.Clusters.Count(c => c.Updated);
        var prefix = wave >= 0 ? $"reverting wave {plan.Waves[wave].Name}" : "reverting";
        return $"{prefix} ({state.StopReason}): {state.CountIn(FleetClusterState.Reverted)} of {updated} updated clusters reverted, "
            + $"{state.CountIn(FleetClusterState.Reverting)} in progress";
    }

    private static string Tally(FleetRunState run)
    {
        var parts = new List<string> { $"{run.CountIn(FleetClusterState.Healthy)} of {run.Clusters.Count} clusters Healthy" };
        foreach (var state in new[] { FleetClusterState.Failed, FleetClusterState.Skipped, FleetClusterState.Aborted, FleetClusterState.Reverted })
            if (run.CountIn(state) is var n and > 0) parts.Add($"{n} {state.ToString().ToLowerInvariant()}");
        return string.Join(", ", parts);
    }

    private static string Clusters(int count) => count == 1 ? "1 cluster" : $"{count} clusters";

    /// <summary>A time of day in UTC, as the why-waiting line shows it.</summary>
    public static string Clock(DateTimeOffset at) => at.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan duration) =>
        duration.TotalHours >= 1 && duration.Minutes == 0 && duration.Seconds == 0 ? $"{(int)duration.TotalHours}h"
        : duration.TotalMinutes >= 1 && duration.Seconds == 0 ? $"{(int)duration.TotalMinutes}m"
        : $"{duration.TotalSeconds:0.###}s".Replace(',', '.');
}
