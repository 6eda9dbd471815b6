using Coordinator.Domain.Actions;
using Coordinator.Domain.Observation;
using Coordinator.Domain.State;

namespace Coordinator.Domain.Ports;

/// <summary>Which Rollout in which cluster an adapter call is about. <paramref name="Uid"/> stamps owner references.</summary>
public sealed record RolloutTarget(string Cluster, string Namespace, string Name, string Uid);

/// <summary>
/// What an adapter keeps from one observation to write it back with optimistic concurrency (resourceVersions, the raw
/// VirtualService). Opaque to the planner and the grain, which only hand it back: each adapter derives its own token
/// and accepts only that one.
/// </summary>
public abstract class AdapterToken;

/// <summary>An observation plus the adapter's token for the writes decided on it.</summary>
public sealed record Observed(ClusterObservation Observation, AdapterToken Token);

/// <summary>
/// The port through which the grain reads and writes one cluster. Implementations apply each action
/// idempotently (a no-op is skipped without a call) and with resourceVersion preconditions, and throw
/// <see cref="ClusterCallException"/> when the cluster refused or could not be reached.
/// </summary>
public interface IClusterGateway
{
    /// <summary>
    /// What the planner needs about the Rollout's objects. <see cref="ObservationSource.Cache"/> lets the adapter answer
    /// from its watch caches when they are synced (no API call); <see cref="ObservationSource.ApiServer"/> reads.
    /// <paramref name="previous"/>, the caller's last look, lends what has not changed since (the adapter's parsed
    /// templates), so that a look allocates only for what changed.
    /// </summary>
    Task<Observed> ObserveAsync(RolloutTarget target, RolloutSpec spec, ObservationSource source, Observed? previous, CancellationToken cancellationToken);

    /// <summary>Applies one action; returns false when it was skipped as a no-op. Events go through <see cref="SendEventAsync"/>.</summary>
    Task<bool> ApplyAsync(RolloutTarget target, Observed observed, RolloutAction action, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the Event numbered <paramref name="sequence"/> in the Rollout's history. The number (with the Rollout's uid)
    /// names the Event, so sending it again after a crash, when it may already have been written, creates no second one.
    /// </summary>
    Task SendEventAsync(RolloutTarget target, EmitEvent emitted, long sequence, CancellationToken cancellationToken);

    /// <summary>Sets the image of <paramref name="container"/> ("*" = all) in the Deployment, as <c>kubectl set image</c> does.</summary>
    Task SetImageAsync(RolloutTarget target, string deployment, string container, string image, CancellationToken cancellationToken);

    /// <summary>
    /// A fleet's change: sends the strategic-merge patch <c>{"spec":{"template":<paramref name="templatePatchJson"/>}}</c>
    /// to the Deployment, as <c>kubectl set image</c> sends its own. With <paramref name="expectedResourceVersion"/> the
    /// patch carries it as <c>metadata.resourceVersion</c>, so that it fails with a <see cref="ClusterCallFailure.Conflict"/>
    /// when the Deployment is no longer that version (the API server's optimistic concurrency).
    /// </summary>
    Task PatchDeploymentTemplateAsync(RolloutTarget target, string deployment, string templatePatchJson, string? expectedResourceVersion,
        CancellationToken cancellationToken);

    /// <summary>A fleet's revert: writes <paramref name="templateJson"/> back as the Deployment's whole <c>spec.template</c>.</summary>
    Task ReplaceDeploymentTemplateAsync(RolloutTarget target, string deployment, string templateJson, CancellationToken cancellationToken);

    /// <summary>
    /// The pods labelled <c>rollouts-pod-template-hash</c> in the target's namespace (one list call). Called when a user
    /// asks for the tree, and by the reconcile loop only while a <c>restartAt</c> restart is due
    /// (<see cref="Planning.RolloutRestart.NeedsPods"/>). Callers pick the pods of their own ReplicaSets.
    /// </summary>
    Task<IReadOnlyList<ObservedPod>> ListPodsAsync(RolloutTarget target, CancellationToken cancellationToken);
}

/// <summary>Where an observation may come from.</summary>
public enum ObservationSource
{
    /// <summary>The adapter's watch caches if they are synced, else the API server. As fresh as the watch.</summary>
    Cache,
    /// <summary>The API server: for user commands, which must see what the user just did, and after a failed write.</summary>
    ApiServer,
    /// <summary>
    /// The workload's Deployment from the API server, the rest as <see cref="Cache"/>: for a fleet's change whose write,
    /// conditional on the cached Deployment's version, found the cache behind; the template it records must be the one
    /// it writes over, while the Rollout's own objects change only through the Rollout.
    /// </summary>
    FreshDeployment,
}

public enum ClusterCallFailure
{
    /// <summary>409: someone else wrote the object first; look again and retry.</summary>
    Conflict,
    /// <summary>The object named does not exist.</summary>
    NotFound,
    /// <summary>The API server refused the request as invalid (4xx other than 404/409/429).</summary>
    Rejected,
    /// <summary>5xx, 429, timeouts and connection failures: worth retrying with backoff.</summary>
    Transient,
}

/// <summary>A failed cluster call. The message never carries credentials or request headers.</summary>
public sealed class ClusterCallException(ClusterCallFailure failure, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public ClusterCallFailure Failure { get; } = failure;
}
