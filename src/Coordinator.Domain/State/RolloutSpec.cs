using System.Collections.Immutable;

namespace Coordinator.Domain.State;

/// <summary>
/// The <c>spec</c> of an Argo Rollout (<c>argoproj.io/v1alpha1</c>) as the user wrote it. Nothing is defaulted here:
/// defaults live in one place, <see cref="Planning.RolloutDefaults"/>, exactly as Argo's <c>utils/defaults</c>
/// (ROLLOUT-BEHAVIOUR §1.1).
/// </summary>
/// <remarks>Persisted in grain state: plain records, no polymorphism, immutable collections.</remarks>
public sealed record RolloutSpec
{
    /// <summary>Desired pod count; null means 1 (Argo writes 1 back, §1.1).</summary>
    public int? Replicas { get; init; }

    /// <summary>Optional with workloadRef: the Deployment's selector is used when absent.</summary>
    public LabelSelector? Selector { get; init; }

    public WorkloadRef? WorkloadRef { get; init; }

    public RolloutStrategy Strategy { get; init; } = new();

    public int? MinReadySeconds { get; init; }

    public int? ProgressDeadlineSeconds { get; init; }

    public bool? ProgressDeadlineAbort { get; init; }

    public int? RevisionHistoryLimit { get; init; }

    /// <summary>User pause (<c>kubectl argo rollouts pause</c>): no RS scaling, steps do not advance.</summary>
    public bool Paused { get; init; }

    /// <summary>The Rollout's own pod template; must be "empty" (no labels, no annotations) with workloadRef.</summary>
    public RolloutTemplate? Template { get; init; }

    /// <summary><c>rollbackWindow</c>: going back to one of the last <c>revisions</c> revisions skips the steps.</summary>
    public RollbackWindow? RollbackWindow { get; init; }

    /// <summary><c>spec.restartAt</c>: pods created before this instant are restarted (evicted), a few at a time.</summary>
    public DateTimeOffset? RestartAt { get; init; }

    /// <summary>Paths of Argo fields present in the manifest that the coordinator does not execute (refused by name).</summary>
    public ImmutableArray<string> UnsupportedFields { get; init; } = [];
}

/// <summary><c>spec.rollbackWindow</c>.</summary>
public sealed record RollbackWindow
{
    public int? Revisions { get; init; }
}

/// <summary><c>metav1.LabelSelector</c>; only <c>matchLabels</c> is modelled (matchExpressions are counted so validation can refuse them).</summary>
public sealed record LabelSelector
{
    public ImmutableDictionary<string, string> MatchLabels { get; init; } = ImmutableDictionary<string, string>.Empty;

    public int MatchExpressionCount { get; init; }
}

/// <summary><c>spec.workloadRef</c> (§4).</summary>
public sealed record WorkloadRef
{
    public string? ApiVersion { get; init; }

    public string? Kind { get; init; }

    public string? Name { get; init; }

    /// <summary>Free-form like Argo: "never" (or empty / any other spelling), "onsuccess", "progressively" (§4.3).</summary>
    public string? ScaleDown { get; init; }
}

/// <summary>What we keep of <c>spec.template</c>: enough to apply Argo's <c>EmptyTemplate</c> check (§1.1).</summary>
public sealed record RolloutTemplate
{
    public ImmutableDictionary<string, string> Labels { get; init; } = ImmutableDictionary<string, string>.Empty;

    public ImmutableDictionary<string, string> Annotations { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Whether the template had a pod <c>spec</c> (Argo ignores it for the emptiness check).</summary>
    public bool HasPodSpec { get; init; }
}

/// <summary><c>spec.strategy</c>: only canary is supported; blueGreen is recorded so validation can name it.</summary>
public sealed record RolloutStrategy
{
    public CanaryStrategy? Canary { get; init; }

    public bool HasBlueGreen { get; init; }
}
