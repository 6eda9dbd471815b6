using Coordinator.Grpc.V1;

namespace Coordinator.Cli.Rendering.Fleet;

/// <summary><c>fleet plan -f FILE</c>: the waves in order with their resolved clusters, limits and an estimated duration.</summary>
public static class FleetPlanRenderer
{
    public static string Render(FleetPlanReply plan)
    {
        var clusters = plan.Waves.Sum(w => w.Clusters.Count);
        var budget = plan.FailureBudget < 0 ? "none" : plan.FailureBudget.ToString();
        var text = $"fleet rollout '{plan.Name}': {plan.Waves.Count} waves, {clusters} clusters, run failure budget {budget}\n" +
            $"estimated duration: {Duration(plan.EstimatedDuration)} (without waiting for approvals)\n\n";
        text += TableRenderer.Render(["WAVE", "CLUSTERS", "MAX-PARALLEL", "BAKE", "APPROVAL", "FAILURE-BUDGET", "ESTIMATED"],
            plan.Waves.Select(w => (IReadOnlyList<string>)
            [
                w.Name, w.Clusters.Count == 0 ? "-" : string.Join(",", w.Clusters), w.MaxParallel.ToString(),
                w.BakeTime is null || w.BakeTime.ToTimeSpan() == TimeSpan.Zero ? "-" : Duration(w.BakeTime),
                w.RequireApproval ? "required" : "-", w.FailureBudget < 0 ? "none" : w.FailureBudget.ToString(), Duration(w.EstimatedDuration),
            ]));
        foreach (var note in plan.Notes)
            text += $"note: {note}\n";
        return text;
    }

    private static string Duration(Google.Protobuf.WellKnownTypes.Duration? d) => AgeFormatter.GoSeconds(d?.ToTimeSpan() ?? TimeSpan.Zero);
}
