using Coordinator.Grpc.V1;

namespace Coordinator.Cli.Rendering.Fleet;

/// <summary>
/// <c>fleet get NAME</c>: a header (phase, change, failures against the budget, the why-waiting line), the waves, and one
/// row per cluster with its wave, state, Rollout phase, step, weight, revision and failure reason.
/// </summary>
public static class FleetStatusRenderer
{
    private const int LabelWidth = 11;

    public static string Render(FleetRolloutReply f, DateTimeOffset now)
    {
        List<IReadOnlyList<string>> header =
        [
            ["Name:", f.Name],
            ["Rollout:", $"{f.RolloutNamespace}/{f.RolloutName}"],
            ["Change:", Dash(f.Change)],
            ["Status:", FleetIcons.State(f.Phase)],
            ["Run:", f.StartedAt is null ? $"{f.Run}" : $"{f.Run} (started {AgeFormatter.Age(f.StartedAt, now)} ago)"],
            ["Failures:", $"{Count(f.Failures, f.FailureBudget)} (onFailure {Dash(f.OnFailure)})"],
        ];
        if (!string.IsNullOrEmpty(f.Message))
            header.Add(["Message:", f.Message]);
        return TableRenderer.Align(header, [LabelWidth]) + "\n" + Waves(f, now) + "\n" + Clusters(f);
    }

    /// <summary><c>1/2</c>: the count against its budget; the count alone when the budget is unlimited (-1).</summary>
    public static string Count(int failures, int budget) => budget < 0 ? $"{failures}" : $"{failures}/{budget}";

    public static int Healthy(FleetWave wave) => wave.Clusters.Count(c => c.State == StatusIcons.Healthy);

    private static string Waves(FleetRolloutReply f, DateTimeOffset now) =>
        TableRenderer.Render(["WAVE", "STATE", "HEALTHY", "MAX-PARALLEL", "FAILURES", "BAKE", "APPROVAL"], f.Waves.Select(w => (IReadOnlyList<string>)
        [
            w.Name, FleetIcons.State(w.State), $"{Healthy(w)}/{w.Clusters.Count}", w.MaxParallel.ToString(),
            Count(w.Failures, w.FailureBudget), Bake(w, now), Approval(w),
        ]));

    private static string Clusters(FleetRolloutReply f)
    {
        var withReason = f.Waves.SelectMany(w => w.Clusters).Any(c => !string.IsNullOrEmpty(c.FailureReason));
        List<string> headers = ["CLUSTER", "WAVE", "STATE", "ROLLOUT", "STEP", "WEIGHT", "REVISION"];
        if (withReason)
            headers.Add("REASON");
        var rows = f.Waves.SelectMany(w => w.Clusters.Select(c =>
        {
            List<string> row =
            [
                c.Cluster, w.Name, FleetIcons.State(c.State), FleetIcons.State(c.RolloutPhase),
                c.Step < 0 ? "-" : $"{c.Step}/{c.StepCount}", c.Weight.ToString(), c.Revision == 0 ? "-" : c.Revision.ToString(),
            ];
            if (withReason)
                row.Add(Dash(c.FailureReason));
            return (IReadOnlyList<string>)row;
        }));
        return TableRenderer.Render(headers, rows);
    }

    private static string Bake(FleetWave w, DateTimeOffset now)
    {
        var bake = w.BakeTime?.ToTimeSpan() ?? TimeSpan.Zero;
        if (bake == TimeSpan.Zero) return "-";
        var left = w.BakeUntil is null ? TimeSpan.Zero : w.BakeUntil.ToDateTimeOffset() - now;
        return left > TimeSpan.Zero ? $"{AgeFormatter.GoSeconds(bake)} ({AgeFormatter.GoSeconds(left)} left)" : AgeFormatter.GoSeconds(bake);
    }

    private static string Approval(FleetWave w) =>
        !w.RequireApproval ? "-" : string.IsNullOrEmpty(w.ApprovedBy) ? "required" : $"approved by {w.ApprovedBy}";

    private static string Dash(string value) => string.IsNullOrEmpty(value) ? "-" : value;
}
