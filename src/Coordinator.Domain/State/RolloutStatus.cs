using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Coordinator.Domain.State;

/// <summary>
/// Argo's <c>RolloutStatus</c> (ROLLOUT-BEHAVIOUR §2.1) plus the coordinator's revision number. Every timer is a
/// timestamp here (pause start, abortedAt, condition update times) or an RS annotation (scale-down deadline), so a
/// grain that is deactivated and re-activated loses nothing (§9).
/// </summary>
public sealed record RolloutStatus
{
    public RolloutPhase Phase { get; init; } = RolloutPhase.Progressing;

    public string Message { get; init; } = "";

    /// <summary>0-based index of the step in progress; <c>len(steps)</c> when all done; null when there are no steps.</summary>
    public int? CurrentStepIndex { get; init; }

    /// <summary>Hash of the desired ReplicaSet (the Deployment's template).</summary>
    public string? CurrentPodHash { get; init; }

    /// <summary>Hash of the stable ReplicaSet.</summary>
    [JsonPropertyName("stableRS")]
    public string? StableRS { get; init; }

    /// <summary>Hash of the steps list; a change restarts the steps (§3.12).</summary>
    public string? CurrentStepHash { get; init; }

    /// <summary>Revision (<c>rollout.argoproj.io/revision</c>) of the desired ReplicaSet.</summary>
    public int? CurrentRevision { get; init; }

    /// <summary>The referenced Deployment's <c>metadata.generation</c> seen by the last decision (a string, like Argo).</summary>
    public string? WorkloadObservedGeneration { get; init; }

    public int Replicas { get; init; }

    public int UpdatedReplicas { get; init; }

    public int ReadyReplicas { get; init; }

    public int AvailableReplicas { get; init; }

    public ImmutableArray<PauseCondition> PauseConditions { get; init; } = [];

    /// <summary>True once the controller added a pause condition; with no condition left it means "user resumed".</summary>
    public bool ControllerPause { get; init; }

    public bool Abort { get; init; }

    public DateTimeOffset? AbortedAt { get; init; }

    public bool PromoteFull { get; init; }

    public CanaryStatus Canary { get; init; } = new();

    public ImmutableArray<RolloutCondition> Conditions { get; init; } = [];

    /// <summary>Bumped when an RS named <c>&lt;rollout&gt;-&lt;hash&gt;</c> exists with another template (§3.3).</summary>
    public int? CollisionCount { get; init; }

    /// <summary><c>status.restartedAt</c>: the <c>spec.restartAt</c> whose restart is complete.</summary>
    public DateTimeOffset? RestartedAt { get; init; }

    /// <summary>Label-selector string of the rollout selector (for HPA-like readers).</summary>
    public string? Selector { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<RolloutPhase>))]
public enum RolloutPhase
{
    Progressing,
    Paused,
    Healthy,
    Degraded,
}

/// <summary>A pause reason with the instant it started (whole seconds, like Argo's RFC3339 field, §3.10).</summary>
public sealed record PauseCondition
{
    public string Reason { get; init; } = "";

    public DateTimeOffset StartTime { get; init; }
}

/// <summary>A Kubernetes-style condition (§2.3).</summary>
public sealed record RolloutCondition
{
    public string Type { get; init; } = "";

    /// <summary>"True", "False" or "Unknown".</summary>
    public string Status { get; init; } = "";

    public string Reason { get; init; } = "";

    public string Message { get; init; } = "";

    public DateTimeOffset LastUpdateTime { get; init; }

    public DateTimeOffset LastTransitionTime { get; init; }
}

public sealed record CanaryStatus
{
    public TrafficWeights? Weights { get; init; }
}

/// <summary>The weights last written to the traffic router (<c>status.canary.weights</c>).</summary>
public sealed record TrafficWeights
{
    public WeightDestination Canary { get; init; } = new();

    public WeightDestination Stable { get; init; } = new();
}

public sealed record WeightDestination
{
    public int Weight { get; init; }

    public string ServiceName { get; init; } = "";

    public string PodTemplateHash { get; init; } = "";
}
