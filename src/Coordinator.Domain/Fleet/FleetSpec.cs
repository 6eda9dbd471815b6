namespace Coordinator.Domain.Fleet;

/// <summary>
/// A FleetRollout's spec (<c>apiVersion: coordinator.io/v1alpha1</c>, <c>kind: FleetRollout</c>): one change to the
/// Deployment behind an existing Rollout, carried through the fleet's clusters wave by wave. Plain records, no Orleans:
/// the grain persists them as JSON.
/// </summary>
public sealed record FleetSpec
{
    /// <summary>The Rollout already applied to the clusters (<c>spec.rollout</c>).</summary>
    public required FleetRolloutRef Rollout { get; init; }

    /// <summary>
    /// <c>spec.template</c> as JSON: a strategic-merge patch of the Deployment's pod template
    /// (<c>{"spec":{"containers":[{"name":"rollouts-demo","image":"..."}]}}</c>, optionally <c>metadata</c>).
    /// </summary>
    public required string TemplatePatchJson { get; init; }

    /// <summary>
    /// <c>spec.clusters</c>: which clusters take part; null = every cluster that has the Rollout. A cluster its selector
    /// matches that lacks the Rollout is left out; one it names is an error (<see cref="FleetWaves.Resolve"/>).
    /// </summary>
    public ClusterSelection? Clusters { get; init; }

    /// <summary><c>spec.waves</c>, in order; a cluster is in the first wave that selects it.</summary>
    public IReadOnlyList<WaveSpec> Waves { get; init; } = [];

    /// <summary><c>spec.failureBudget</c>: failed clusters the whole run tolerates; null = no run-wide budget beyond the waves'.</summary>
    public IntOrPercent? FailureBudget { get; init; }

    /// <summary><c>spec.clusterTimeout</c>: a cluster not Healthy on the new revision by then has failed.</summary>
    public TimeSpan ClusterTimeout { get; init; } = FleetDefaults.ClusterTimeout;

    /// <summary><c>spec.unreachable</c>.</summary>
    public UnreachablePolicy Unreachable { get; init; } = UnreachablePolicy.Fail;

    /// <summary><c>spec.onFailure</c>.</summary>
    public FailurePolicy OnFailure { get; init; } = FailurePolicy.Halt;
}

/// <summary><c>spec.rollout</c>; the namespace defaults to <see cref="FleetDefaults.Namespace"/> when omitted.</summary>
public sealed record FleetRolloutRef(string Name, string Namespace);

/// <summary>Cluster names, a label selector, or both (a cluster must then satisfy both).</summary>
public sealed record ClusterSelection
{
    /// <summary><c>names</c>: explicit cluster names; empty = not restricted by name.</summary>
    public IReadOnlyList<string> Names { get; init; } = [];

    /// <summary><c>selector.matchLabels</c>.</summary>
    public IReadOnlyDictionary<string, string> MatchLabels { get; init; } = new Dictionary<string, string>();

    /// <summary><c>selector.matchExpressions</c> (operators In, NotIn, Exists, DoesNotExist, as Kubernetes').</summary>
    public IReadOnlyList<LabelRequirement> MatchExpressions { get; init; } = [];
}

public sealed record LabelRequirement(string Key, string Operator, IReadOnlyList<string> Values);

public sealed record WaveSpec
{
    public required string Name { get; init; }

    /// <summary>Null: every cluster not selected by an earlier wave; only the last wave may omit it.</summary>
    public ClusterSelection? Clusters { get; init; }

    /// <summary>Clusters of this wave in progress at once: a count or a percentage of the wave (rounded up, at least 1).</summary>
    public IntOrPercent MaxParallel { get; init; } = new(1, false);

    /// <summary>Held after every cluster of the wave is Healthy, before the next wave starts.</summary>
    public TimeSpan BakeTime { get; init; }

    /// <summary>The wave waits for <c>fleet approve</c> before it starts.</summary>
    public bool RequireApproval { get; init; }

    /// <summary>Failed clusters this wave tolerates: a count or a percentage of the wave (rounded down). Default 0.</summary>
    public IntOrPercent FailureBudget { get; init; } = new(0, false);
}

/// <summary>A Kubernetes IntOrString as used for counts: <c>3</c> or <c>"25%"</c>.</summary>
public sealed record IntOrPercent(int Value, bool Percent)
{
    /// <summary>For parallelism: a percentage of <paramref name="total"/> rounded up, never below 1.</summary>
    public int ResolveUp(int total) => Math.Max(1, Percent ? (int)Math.Ceiling(total * Value / 100.0) : Value);

    /// <summary>For budgets: a percentage of <paramref name="total"/> rounded down.</summary>
    public int ResolveDown(int total) => Percent ? (int)Math.Floor(total * Value / 100.0) : Value;

    public override string ToString() => Percent ? $"{Value}%" : Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public enum UnreachablePolicy
{
    /// <summary>Keep waiting for the cluster; it holds its wave (and counts as in progress).</summary>
    Wait,
    /// <summary>After clusterTimeout the cluster is skipped: not updated, not counted as failed.</summary>
    Skip,
    /// <summary>After clusterTimeout the cluster has failed (counted against the budgets).</summary>
    Fail,
}

public enum FailurePolicy
{
    /// <summary>No new cluster starts; clusters in progress are aborted (back to their stable revision).</summary>
    Halt,
    /// <summary>Halt, then every cluster already updated goes back to the previous template, last wave first.</summary>
    Revert,
}

public static class FleetDefaults
{
    public static readonly TimeSpan ClusterTimeout = TimeSpan.FromMinutes(10);

    /// <summary><c>spec.rollout.namespace</c> when omitted: "default", as <c>kubectl</c> and <c>rolloutctl apply</c> without <c>-n</c>.</summary>
    public const string Namespace = "default";
}
