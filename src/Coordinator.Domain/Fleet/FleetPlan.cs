namespace Coordinator.Domain.Fleet;

/// <summary>
/// The waves of a FleetRollout resolved to fixed lists of clusters, budgets and parallelism resolved to counts. Frozen
/// when a run starts: clusters added to the registry later, or a later edit of the spec, do not change a running plan.
/// </summary>
/// <param name="RunFailureBudget">Failed clusters the whole run tolerates (<c>spec.failureBudget</c> resolved against
/// every cluster of the plan); <see cref="int.MaxValue"/> when the spec sets none (the waves' budgets still apply).</param>
public sealed record FleetPlan(IReadOnlyList<PlannedWave> Waves, int RunFailureBudget)
{
    public IEnumerable<string> Clusters => Waves.SelectMany(w => w.Clusters);
}

/// <summary>One wave: its clusters in a stable order (registry order), at most <see cref="MaxParallel"/> in progress.</summary>
public sealed record PlannedWave(
    string Name, IReadOnlyList<string> Clusters, int MaxParallel, TimeSpan BakeTime, bool RequireApproval, int FailureBudget);
