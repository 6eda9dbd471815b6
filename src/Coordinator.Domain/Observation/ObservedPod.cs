namespace Coordinator.Domain.Observation;

/// <summary>
/// One pod of a Rollout's ReplicaSet, as <c>kubectl argo rollouts get rollout</c> shows it. Read when a user asks for the
/// tree, and by the reconcile loop only while a <c>restartAt</c> restart is due (<see cref="ClusterObservation.Pods"/>).
/// </summary>
public sealed record ObservedPod
{
    public required string Name { get; init; }

    /// <summary>Value of the <c>rollouts-pod-template-hash</c> label.</summary>
    public required string PodTemplateHash { get; init; }

    /// <summary>Name of the owning ReplicaSet (from the controller owner reference); null when unowned.</summary>
    public string? OwnerReplicaSet { get; init; }

    /// <summary><c>status.phase</c> (Pending, Running, ...).</summary>
    public string Phase { get; init; } = "";

    /// <summary>
    /// What the plugin prints in the STATUS column: the phase, or the more telling reason when there is one
    /// (<c>ContainerCreating</c>, <c>CrashLoopBackOff</c>, <c>Init:0/1</c>, <c>Terminating</c>, ...).
    /// </summary>
    public string Status { get; init; } = "";

    /// <summary>Containers that are ready and running.</summary>
    public int ReadyContainers { get; init; }

    /// <summary>Containers in <c>spec.containers</c> (sidecars such as <c>istio-proxy</c> included).</summary>
    public int TotalContainers { get; init; }

    public int Restarts { get; init; }

    public DateTimeOffset CreationTimestamp { get; init; }

    /// <summary>When the pod's <c>Ready</c> condition last turned True; null while it is not Ready.</summary>
    public DateTimeOffset? ReadySince { get; init; }

    /// <summary>The pod has a <c>deletionTimestamp</c>.</summary>
    public bool Terminating { get; init; }
}
