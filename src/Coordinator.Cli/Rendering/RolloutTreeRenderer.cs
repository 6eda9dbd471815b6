using Coordinator.Grpc.V1;

namespace Coordinator.Cli.Rendering;

/// <summary>
/// Renders <c>get rollout</c> like <c>kubectl argo rollouts get rollout</c>: a header block and the
/// revision/ReplicaSet/pod tree, one block per cluster.
/// </summary>
public static class RolloutTreeRenderer
{
    /// <summary>Label column width of the plugin ("  ActualWeight:" plus padding).</summary>
    private const int LabelWidth = 17;

    public const string Stable = "stable";
    public const string Canary = "canary";

    /// <summary>Every cluster's block, separated by a blank line.</summary>
    public static string Render(IEnumerable<ClusterRollout> clusters, DateTimeOffset now) =>
        string.Join("\n", clusters.Select(c => Render(c, now)));

    public static string Render(ClusterRollout c, DateTimeOffset now)
    {
        List<IReadOnlyList<string>> header = [["Name:", c.Name], ["Namespace:", c.Namespace], ["Cluster:", c.Cluster]];
        if (!string.IsNullOrEmpty(c.Error) || !c.Exists)
        {
            header.Add(["Error:", string.IsNullOrEmpty(c.Error) ? $"rollout '{c.Name}' not found" : c.Error]);
            return TableRenderer.Align(header, [LabelWidth]);
        }

        header.Add(["Status:", StatusIcons.Phase(c.Phase)]);
        if (!string.IsNullOrEmpty(c.Message))
            header.Add(["Message:", c.Message]);
        header.Add(["Strategy:", "Canary"]);
        if (c.CurrentStepIndex >= 0)
            header.Add(["  Step:", $"{c.CurrentStepIndex}/{c.StepCount}"]);
        header.Add(["  SetWeight:", c.SetWeight.ToString()]);
        header.Add(["  ActualWeight:", c.ActualWeight.ToString()]);
        var images = Images(c);
        if (images.Count == 0)
            header.Add(["Images:"]);
        for (var i = 0; i < images.Count; i++)
            header.Add([i == 0 ? "Images:" : "", images[i]]);
        var r = c.Replicas ?? new Replicas();
        header.Add(["Replicas:"]);
        header.Add(["  Desired:", r.Desired.ToString()]);
        header.Add(["  Current:", r.Current.ToString()]);
        header.Add(["  Updated:", r.Updated.ToString()]);
        header.Add(["  Ready:", r.Ready.ToString()]);
        header.Add(["  Available:", r.Available.ToString()]);
        // The tree without pods would look like a rollout with no pods: say why they are missing.
        if (!string.IsNullOrEmpty(c.PodsError))
            header.Add(["Warning:", $"pods not shown: {c.PodsError}"]);

        return TableRenderer.Align(header, [LabelWidth]) + "\n" + TableRenderer.Align(Tree(c, now));
    }

    /// <summary>Images of the stable and canary ReplicaSets with their tags, stable first: <c>argoproj/rollouts-demo:blue (stable)</c>.</summary>
    public static IReadOnlyList<string> Images(ClusterRollout c)
    {
        var tagged = new List<(string Image, List<string> Tags)>();
        foreach (var rs in c.ReplicaSets.Where(rs => Role(rs) is not null).OrderBy(rs => Role(rs) == Stable ? 0 : 1).ThenByDescending(rs => rs.Revision))
        {
            foreach (var image in rs.Images)
            {
                var entry = tagged.FirstOrDefault(t => t.Image == image);
                if (entry.Tags is null)
                    tagged.Add((image, [Role(rs)!]));
                else if (!entry.Tags.Contains(Role(rs)!))
                    entry.Tags.Add(Role(rs)!);
            }
        }
        return tagged.Select(t => $"{t.Image} ({string.Join(", ", t.Tags)})").ToList();
    }

    /// <summary>The plugin's tag: stable wins when a ReplicaSet is both (a Healthy rollout's only ReplicaSet).</summary>
    private static string? Role(ReplicaSet rs) =>
        rs.Roles.Contains(Stable) ? Stable : rs.Roles.Contains(Canary) ? Canary : null;

    private static List<IReadOnlyList<string>> Tree(ClusterRollout c, DateTimeOffset now)
    {
        // Servers that predate created_at leave it unset: the oldest ReplicaSet is the next best guess at the Rollout's age.
        var created = c.CreatedAt
            ?? c.ReplicaSets.Where(rs => rs.CreatedAt is not null).MinBy(rs => rs.CreatedAt.ToDateTimeOffset())?.CreatedAt;
        List<IReadOnlyList<string>> rows =
        [
            ["NAME", "KIND", "STATUS", "AGE", "INFO"],
            [$"⟳ {c.Name}", "Rollout", StatusIcons.Phase(c.Phase), AgeFormatter.Age(created, now), ""],
        ];
        var revisions = c.ReplicaSets.GroupBy(rs => rs.Revision).OrderByDescending(g => g.Key).ToList();
        for (var i = 0; i < revisions.Count; i++)
        {
            var lastRevision = i == revisions.Count - 1;
            rows.Add([$"{(lastRevision ? "└──" : "├──")}# revision:{revisions[i].Key}", "", "", "", ""]);
            var replicaSets = revisions[i].OrderBy(rs => rs.Name, StringComparer.Ordinal).ToList();
            for (var j = 0; j < replicaSets.Count; j++)
            {
                var rs = replicaSets[j];
                var lastReplicaSet = j == replicaSets.Count - 1;
                var indent = lastRevision ? "   " : "│  ";
                rows.Add([$"{indent}{(lastReplicaSet ? "└──" : "├──")}⧉ {rs.Name}", "ReplicaSet", StatusIcons.ReplicaSet(rs), AgeFormatter.Age(rs.CreatedAt, now), Info(rs, now)]);
                var podIndent = indent + (lastReplicaSet ? "   " : "│  ");
                for (var k = 0; k < rs.Pods.Count; k++)
                {
                    var pod = rs.Pods[k];
                    rows.Add([$"{podIndent}{(k == rs.Pods.Count - 1 ? "└──" : "├──")}□ {pod.Name}", "Pod", StatusIcons.Pod(pod.Status), AgeFormatter.Age(pod.CreatedAt, now), Info(pod)]);
                }
            }
        }
        return rows;
    }

    /// <summary><c>ready:1/1</c>, with <c>,restarts:n</c> only when a container restarted.</summary>
    private static string Info(Pod pod) =>
        pod.Restarts > 0 ? $"ready:{pod.Ready}/{pod.Total},restarts:{pod.Restarts}" : $"ready:{pod.Ready}/{pod.Total}";

    private static string Info(ReplicaSet rs, DateTimeOffset now)
    {
        var cells = new List<string>();
        if (Role(rs) is { } role)
            cells.Add(role);
        if (rs.ScaleDownDeadline is not null && rs.Desired > 0)
        {
            var remaining = rs.ScaleDownDeadline.ToDateTimeOffset() - now;
            cells.Add(remaining > TimeSpan.Zero ? $"delay:{AgeFormatter.GoSeconds(remaining)}" : "delay:passed");
        }
        return string.Join(",", cells);
    }
}
