using Coordinator.Abstractions;
using Coordinator.Domain.Observation;
using Coordinator.Domain.Ports;
using Microsoft.Extensions.Logging;

namespace Coordinator.Grains.Rollouts;

/// <summary>
/// Pods for the <c>get rollout</c> tree. Read from the cluster only when a user asks, never by the reconcile loop:
/// pods change constantly and the planner does not need them (ReplicaSet status already counts them).
/// </summary>
public sealed partial class RolloutGrain
{
    public async Task<PodList> Pods()
    {
        if (!Exists) return PodList.Empty;
        IReadOnlyList<ObservedPod> pods;
        try
        {
            pods = await _gateway.ListPodsAsync(Target, CancellationToken.None);
        }
        catch (ClusterCallException ex)
        {
            // Pods are decoration: the tree is still useful without them, so a failed read must not fail the caller;
            // but the reason (often a missing RBAC permission) is reported to the caller and logged, never swallowed.
            _logger.LogWarning("Listing the rollout's pods failed: {Error}", ex.Message);
            return new PodList { Error = ex.Message };
        }

        var owners = OwnReplicaSetNames();
        return new PodList { Pods = pods
            .Where(p => p.OwnerReplicaSet is { } owner && owners(owner, p.PodTemplateHash))
            // The plugin's order: oldest first, then by name.
            .OrderBy(p => p.CreationTimestamp).ThenBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => new PodSummary
            {
                Name = p.Name,
                Hash = p.PodTemplateHash,
                Status = p.Status,
                Ready = p.ReadyContainers,
                Total = p.TotalContainers,
                Restarts = p.Restarts,
                CreatedAt = p.CreationTimestamp == default ? null : p.CreationTimestamp,
            })
            .ToList() };
    }

    /// <summary>
    /// Whether a ReplicaSet (by name and hash) is this Rollout's. The namespace may hold other Rollouts' pods under the
    /// same label, so match the ReplicaSets last observed; before any observation, the naming rule <c>&lt;rollout&gt;-&lt;hash&gt;</c>.
    /// </summary>
    private Func<string, string, bool> OwnReplicaSetNames()
    {
        if (_lastObserved?.Observation.ReplicaSets is { Count: > 0 } observed)
        {
            var names = observed.Select(rs => rs.Name).ToHashSet(StringComparer.Ordinal);
            return (owner, _) => names.Contains(owner);
        }
        return (owner, hash) => owner == $"{_key.Name}-{hash}";
    }
}
