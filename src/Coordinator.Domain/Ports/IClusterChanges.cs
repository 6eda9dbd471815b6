namespace Coordinator.Domain.Ports;

/// <summary>
/// Change notifications of the target clusters: how a rollout learns, without polling, that the objects it decides on
/// have changed. Implemented by the Kubernetes adapter with one watch per cluster shared by every rollout of it.
/// </summary>
public interface IClusterChanges
{
    /// <summary>
    /// Calls <paramref name="onChange"/> whenever the Deployment <paramref name="deployment"/> or a ReplicaSet owned by
    /// the Rollout <paramref name="rollout"/> changes in that namespace, and whenever changes may have been missed.
    /// Dispose the result to stop.
    /// </summary>
    IDisposable Subscribe(string cluster, string @namespace, string rollout, string deployment, Action onChange);
}
