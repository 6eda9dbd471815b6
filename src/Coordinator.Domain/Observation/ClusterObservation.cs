using System.Text.Json.Nodes;

namespace Coordinator.Domain.Observation;

/// <summary>
/// What the adapter read from one cluster for one Rollout, just before calling the planner. Not persisted.
/// Missing objects are simply absent (null / not in the list): the planner reports them through validation.
/// </summary>
public sealed record ClusterObservation
{
    /// <summary>The Rollout's name (used for RS names, the managed-by annotation and event texts).</summary>
    public required string RolloutName { get; init; }

    public required string Namespace { get; init; }

    /// <summary>The Deployment named by <c>spec.workloadRef</c>; null if it does not exist.</summary>
    public ObservedDeployment? Deployment { get; init; }

    /// <summary>ReplicaSets of this Rollout: those labelled <c>rollouts-pod-template-hash</c> whose controller is the owner
    /// ConfigMap, or an <c>argoproj.io</c> Rollout of the same name (to be adopted). The Deployment's own ReplicaSets
    /// must not be listed.</summary>
    public IReadOnlyList<ObservedReplicaSet> ReplicaSets { get; init; } = [];

    /// <summary>The ConfigMap that owns the rollout's ReplicaSets (<see cref="RolloutOwner"/>); null if it does not exist.</summary>
    public ObservedOwner? Owner { get; init; }

    /// <summary>The stable and canary Services (only those that exist).</summary>
    public IReadOnlyList<ObservedService> Services { get; init; } = [];

    /// <summary>Referenced VirtualServices (only those that exist).</summary>
    public IReadOnlyList<ObservedVirtualService> VirtualServices { get; init; } = [];

    /// <summary>
    /// The pods labelled <c>rollouts-pod-template-hash</c> in the namespace; null when not read. Read only while a
    /// <c>restartAt</c> restart is due (<see cref="Planning.RolloutRestart.NeedsPods"/>), so the common loop lists no pods.
    /// </summary>
    public IReadOnlyList<ObservedPod>? Pods { get; init; }

    public ObservedService? FindService(string? name) =>
        name is null ? null : Services.FirstOrDefault(s => s.Name == name);

    public ObservedVirtualService? FindVirtualService(string name, string @namespace) =>
        VirtualServices.FirstOrDefault(v => v.Name == name && (v.Namespace ?? Namespace) == @namespace);
}

public sealed record ObservedDeployment
{
    public required string Name { get; init; }

    public long Generation { get; init; }

    /// <summary><c>spec.replicas</c> (null = 1 for Kubernetes).</summary>
    public int? Replicas { get; init; }

    public int ReadyReplicas { get; init; }

    public int AvailableReplicas { get; init; }

    /// <summary>
    /// <c>spec.template</c> as stored by the API server (a PodTemplateSpec: metadata + spec). Read-only: the next look at
    /// the same object may reuse the tree, so a change is made to a copy (<c>DeepClone</c>).
    /// </summary>
    public required JsonObject Template { get; init; }

    public IReadOnlyDictionary<string, string> SelectorMatchLabels { get; init; } = new Dictionary<string, string>();

    public string? ResourceVersion { get; init; }
}

public sealed record ObservedReplicaSet
{
    public required string Name { get; init; }

    /// <summary>Value of the <c>rollouts-pod-template-hash</c> label.</summary>
    public required string PodTemplateHash { get; init; }

    /// <summary>Parsed <c>rollout.argoproj.io/revision</c> annotation (see <see cref="ReplicaSetAnnotations.ParseRevision"/>).</summary>
    public int? Revision { get; init; }

    /// <summary><c>spec.replicas</c>.</summary>
    public int Replicas { get; init; }

    public int StatusReplicas { get; init; }

    public int ReadyReplicas { get; init; }

    public int AvailableReplicas { get; init; }

    /// <summary>Parsed <c>scale-down-deadline</c> annotation (see <see cref="ReplicaSetAnnotations.ParseScaleDownDeadline"/>).</summary>
    public DateTimeOffset? ScaleDownDeadline { get; init; }

    public DateTimeOffset CreationTimestamp { get; init; }

    /// <summary>Raw <c>rollout.argoproj.io/ephemeral-metadata</c> annotation: the ephemeral metadata the template carries.</summary>
    public string? EphemeralMetadata { get; init; }

    /// <summary><c>spec.template</c> of the RS (carries the hash label). Read-only, as the Deployment's.</summary>
    public JsonObject? Template { get; init; }

    /// <summary>Uid of the RS's controller owner: the owner ConfigMap's, or that of an argoproj Rollout for ReplicaSets
    /// created before the ConfigMap owner existed (they are adopted).</summary>
    public string? ControllerUid { get; init; }
}

public sealed record ObservedService
{
    public required string Name { get; init; }

    public IReadOnlyDictionary<string, string> Selector { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();
}

public sealed record ObservedVirtualService
{
    public required string Name { get; init; }

    /// <summary>Null means the Rollout's namespace.</summary>
    public string? Namespace { get; init; }

    public IReadOnlyList<ObservedHttpRoute> HttpRoutes { get; init; } = [];

    public bool HasTlsRoutes { get; init; }

    public bool HasTcpRoutes { get; init; }
}

public sealed record ObservedHttpRoute
{
    public string? Name { get; init; }

    public IReadOnlyList<ObservedRouteDestination> Destinations { get; init; } = [];
}

public sealed record ObservedRouteDestination
{
    /// <summary><c>destination.host</c>, e.g. <c>rollouts-demo</c> or <c>rollouts-demo.ns.svc.cluster.local</c>.</summary>
    public required string Host { get; init; }

    public string? Subset { get; init; }

    /// <summary><c>weight</c>; null when omitted.</summary>
    public int? Weight { get; init; }
}
