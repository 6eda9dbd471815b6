using Orleans.Concurrency;

namespace Coordinator.Abstractions;

/// <summary>
/// One Argo-compatible canary Rollout in one cluster (key: <see cref="RolloutKey"/> as text).
/// Every command returns the snapshot after the command was persisted and one reconcile ran.
/// </summary>
public interface IRolloutGrain : IGrainWithStringKey
{
    /// <summary>Creates or updates the Rollout from an Argo Rollout manifest, parsed once by the caller for every cluster.</summary>
    Task<RolloutSnapshot> Apply(ParsedManifest manifest);

    /// <summary>
    /// Checks a manifest against the spec rules and against this cluster (Services, VirtualService,
    /// Deployment) without changing anything; throws <see cref="RolloutCommandException"/> naming the field.
    /// Lets a multi-cluster apply refuse bad input before it writes to any cluster.
    /// </summary>
    Task Check(ParsedManifest manifest);

    /// <summary>The current status; read-only, so it may interleave with a running reconcile.</summary>
    [AlwaysInterleave, ReadOnly]
    Task<RolloutSnapshot> Get();

    Task<RolloutSnapshot> Promote(bool full);

    Task<RolloutSnapshot> Abort();

    Task<RolloutSnapshot> Retry();

    /// <summary>Sets <c>spec.paused</c> (a user pause: nothing scales, steps do not advance).</summary>
    Task<RolloutSnapshot> Pause();

    /// <summary>Clears <c>spec.paused</c>.</summary>
    Task<RolloutSnapshot> Resume();

    /// <summary>
    /// Like <c>kubectl argo rollouts set image</c> with a workloadRef: changes the image of
    /// <paramref name="container"/> (or every container for "*") in the referenced Deployment.
    /// </summary>
    Task<RolloutSnapshot> SetImage(string container, string image);

    /// <summary>Writes the pod template of an earlier revision back to the referenced Deployment.</summary>
    Task<RolloutSnapshot> Undo(int? toRevision);

    /// <summary>Hands traffic back to the Deployment safely, then removes the Rollout's ReplicaSets.</summary>
    Task<RolloutSnapshot> Delete();

    /// <summary>
    /// Every snapshot newer than <paramref name="afterVersion"/> (oldest first), waiting up to
    /// <paramref name="wait"/> for one to appear; empty on timeout. Backs the gRPC watch stream.
    /// </summary>
    [AlwaysInterleave, ReadOnly]
    Task<IReadOnlyList<RolloutSnapshot>> ChangesSince(long afterVersion, TimeSpan wait);

    /// <summary>
    /// The pods of this Rollout's ReplicaSets, read from the cluster now (one list call) for the <c>get rollout</c> tree;
    /// empty when the Rollout does not exist; with <see cref="PodList.Error"/> when the cluster refused or failed the read.
    /// Read-only, so it never waits for a reconcile.
    /// </summary>
    [AlwaysInterleave, ReadOnly]
    Task<PodList> Pods();

    /// <summary>Something this Rollout watches changed in the cluster: look again soon.</summary>
    [OneWay]
    Task Wake();

    /// <summary>
    /// Does nothing: calling it activates the grain, and a new activation looks at its Rollout at once. Sent after a silo
    /// failure to bring back the Rollouts that lived on it; one that was active elsewhere all along is left alone.
    /// </summary>
    [AlwaysInterleave]
    Task EnsureActive();
}
