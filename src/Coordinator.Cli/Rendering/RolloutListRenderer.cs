using Coordinator.Grpc.V1;

namespace Coordinator.Cli.Rendering;

/// <summary>The <c>list rollouts</c> table: one row per rollout and cluster.</summary>
public static class RolloutListRenderer
{
    public static string Render(IEnumerable<ClusterRollout> rollouts, bool withNamespace = false)
    {
        string[] headers = ["NAME", "CLUSTER", "STRATEGY", "STATUS", "STEP", "SET-WEIGHT", "READY", "DESIRED", "UP-TO-DATE", "AVAILABLE"];
        var rows = rollouts.Select(r =>
        {
            var replicas = r.Replicas ?? new Replicas();
            var step = r.CurrentStepIndex < 0 || r.StepCount == 0 ? "-" : $"{r.CurrentStepIndex}/{r.StepCount}";
            string[] row =
            [
                r.Name, r.Cluster, "Canary", StatusIcons.Phase(r.Phase), step, r.SetWeight.ToString(),
                $"{replicas.Ready}/{replicas.Current}", replicas.Desired.ToString(), replicas.Updated.ToString(), replicas.Available.ToString(),
            ];
            return withNamespace ? (IReadOnlyList<string>)[r.Namespace, .. row] : row;
        });
        return TableRenderer.Render(withNamespace ? ["NAMESPACE", .. headers] : headers, rows);
    }
}
