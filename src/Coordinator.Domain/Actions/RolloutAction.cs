using System.Text.Json.Nodes;

namespace Coordinator.Domain.Actions;

/// <summary>
/// One write the planner wants applied to the cluster, as data. Apply a decision's actions in list order and stop
/// at the first failure: an <see cref="EmitEvent"/> always follows the write it reports, so a partial application
/// emits exactly the events of the writes that landed.
/// </summary>
public abstract record RolloutAction;

/// <summary>Owner reference to stamp on created objects; the adapter fills the owner's uid (the observed owner ConfigMap's).</summary>
public sealed record OwnerReferenceInfo(string ApiVersion, string Kind, string Name, bool Controller = true, bool BlockOwnerDeletion = true);

/// <summary>Create <c>&lt;rollout&gt;-&lt;hash&gt;</c> (§3.3). Everything the RS needs is here; replicas start at 0.</summary>
public sealed record CreateReplicaSet(
    string Name,
    string PodTemplateHash,
    int Revision,
    int Replicas,
    int MinReadySeconds,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    IReadOnlyDictionary<string, string> SelectorMatchLabels,
    JsonObject Template,
    OwnerReferenceInfo Owner) : RolloutAction;

/// <summary>Set <c>spec.replicas</c> of a rollout ReplicaSet from <paramref name="From"/> to <paramref name="To"/>.</summary>
public sealed record ScaleReplicaSet(string Name, int From, int To) : RolloutAction;

/// <summary>Set (or, with a null value, remove) one annotation of a rollout ReplicaSet.</summary>
public sealed record AnnotateReplicaSet(string Name, string Key, string? Value) : RolloutAction;

public sealed record DeleteReplicaSet(string Name) : RolloutAction;

/// <summary>Evict one pod through the Eviction API (<c>restartAt</c>); its ReplicaSet creates a replacement.</summary>
public sealed record EvictPod(string Name) : RolloutAction;

/// <summary>
/// Move a ReplicaSet's ephemeral pod metadata (canaryMetadata / stableMetadata) from <paramref name="Previous"/> to
/// <paramref name="Desired"/>, as Argo's <c>syncEphemeralMetadata</c>: first the RS's pod template, then its existing
/// pods (those labelled <c>rollouts-pod-template-hash=</c><paramref name="PodTemplateHash"/> that it controls; each with
/// <see cref="Observation.EphemeralMetadata.Apply"/>), and last the RS's <c>rollout.argoproj.io/ephemeral-metadata</c>
/// annotation, so that a failure on the way leaves the annotation stale and the next pass repeats the whole move.
/// </summary>
public sealed record SyncEphemeralMetadata(
    string ReplicaSet,
    string PodTemplateHash,
    State.PodTemplateMetadata Previous,
    State.PodTemplateMetadata Desired) : RolloutAction;

/// <summary>
/// Make the observed owner ConfigMap the controller of a ReplicaSet that has another controller (an argoproj Rollout
/// that does not exist, or a previous ConfigMap): a metadata-only change, no pod is touched.
/// </summary>
public sealed record AdoptReplicaSet(string Name) : RolloutAction;

/// <summary>
/// Create the rollout's owner ConfigMap (<see cref="Observation.RolloutOwner"/>) when <paramref name="Create"/>, else
/// replace its data; labels and annotations are set in both cases.
/// </summary>
public sealed record WriteOwnerConfigMap(
    string Name,
    bool Create,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    IReadOnlyDictionary<string, string> Data) : RolloutAction;

/// <summary>Delete the owner ConfigMap (the last step of a deletion; the garbage collector takes anything left).</summary>
public sealed record DeleteOwnerConfigMap(string Name) : RolloutAction;

/// <summary>Set <c>spec.selector.rollouts-pod-template-hash</c> of a Service to <paramref name="ToHash"/>, or remove the
/// key when it is null. Other selector keys are untouched. <paramref name="FromHash"/> is the value observed (for an
/// optimistic check and the event text).</summary>
public sealed record SwitchServiceSelector(string Service, string? FromHash, string? ToHash) : RolloutAction;

/// <summary>Set (or, with a null value, remove) a Service annotation (the managed-by annotation).</summary>
public sealed record SetServiceAnnotation(string Service, string Key, string? Value) : RolloutAction;

/// <summary>
/// Set the weights of the named HTTP routes of one VirtualService: destinations whose host (up to the first dot) is
/// <paramref name="CanaryHost"/> get <paramref name="CanaryWeight"/>, those that are <paramref name="StableHost"/> get
/// <paramref name="StableWeight"/>; everything else in the VirtualService is preserved (§3.8). An empty
/// <paramref name="Routes"/> means "the only HTTP route" (Argo's rule when <c>routes</c> is omitted).
/// </summary>
public sealed record SetVirtualServiceWeights(
    string VirtualService,
    string Namespace,
    IReadOnlyList<string> Routes,
    string CanaryHost,
    string StableHost,
    int CanaryWeight,
    int StableWeight) : RolloutAction;

/// <summary>Replace the referenced Deployment's <c>spec.template</c> (undo with workloadRef, §3.13).</summary>
public sealed record WriteDeploymentTemplate(string Deployment, JsonObject Template) : RolloutAction;

/// <summary>Set the referenced Deployment's <c>spec.replicas</c> (workloadRef scaleDown, and safe deletion).</summary>
public sealed record ScaleDeployment(string Deployment, int From, int To) : RolloutAction;

/// <summary>A Kubernetes Event on the Rollout with Argo's reason and text (§5).</summary>
public sealed record EmitEvent(RolloutEventType Type, string Reason, string Message) : RolloutAction
{
    /// <summary>The user whose command caused the Event (annotation <c>coordinator.io/requested-by</c>); null when none did.</summary>
    public string? RequestedBy { get; init; }
}

public enum RolloutEventType
{
    Normal,
    Warning,
}
