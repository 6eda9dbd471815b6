using System.Text.Json.Nodes;
using Coordinator.Domain.Actions;
using Coordinator.Domain.Observation;
using Coordinator.Domain.Ports;
using k8s;
using k8s.Models;

namespace Coordinator.Kubernetes.Rollouts;

/// <summary>
/// Ephemeral pod metadata: the only place the coordinator reads and writes pods. Pods are listed only here, when a
/// ReplicaSet's canary/stable metadata has to move (at its creation with a stable RS, at promotion, at a spec change),
/// so the common reconcile loop lists no pods.
/// </summary>
internal sealed partial class ActionExecutor
{
    private async Task<bool> SyncEphemeralMetadataAsync(SyncEphemeralMetadata sync, CancellationToken ct)
    {
        _ = ReplicaSet(sync.ReplicaSet); // an RS that was not observed is a NotFound, as for every RS write
        var desired = sync.Desired;

        // 1. The template first, so that pods created from now on carry the new metadata (Argo's order).
        var templatePatch = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject
                    {
                        ["labels"] = KeysPatch(sync.Previous.Labels, desired.Labels),
                        ["annotations"] = KeysPatch(sync.Previous.Annotations, desired.Annotations),
                    },
                },
            },
        };
        await PatchReplicaSetAsync(sync.ReplicaSet, $"sync pod metadata of replicaset {Ns}/{sync.ReplicaSet}", templatePatch, resourceVersion: null, ct);

        // 2. Its existing pods.
        counter.Read();
        var pods = await KubernetesCalls.RunAsync($"list pods of replicaset {Ns}/{sync.ReplicaSet}",
            c => client.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: $"{ReplicaSetAnnotations.PodTemplateHashLabel}={sync.PodTemplateHash}", cancellationToken: c), ct);
        foreach (var pod in pods.Items.Where(p => IsControlledBy(p, sync.ReplicaSet) && p.Metadata.DeletionTimestamp is null))
        {
            var labels = (IReadOnlyDictionary<string, string>?)pod.Metadata.Labels ?? new Dictionary<string, string>();
            var annotations = (IReadOnlyDictionary<string, string>?)pod.Metadata.Annotations ?? new Dictionary<string, string>();
            var (newLabels, newAnnotations, changed) = EphemeralMetadata.Apply(labels, annotations, sync.Previous, desired);
            if (!changed) continue;
            var patch = new JsonObject
            {
                ["metadata"] = EphemeralMetadata.MetadataPatch(labels, annotations, newLabels, newAnnotations),
            };
            patch["metadata"]!["resourceVersion"] = pod.Metadata.ResourceVersion;
            counter.Write();
            try
            {
                await KubernetesCalls.RunAsync($"sync metadata of pod {Ns}/{pod.Metadata.Name}",
                    c => client.CoreV1.PatchNamespacedPodAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), pod.Metadata.Name, Ns, cancellationToken: c), ct);
            }
            catch (ClusterCallException ex) when (ex.Failure == ClusterCallFailure.NotFound)
            {
                continue; // deleted meanwhile: its replacement comes from the updated template
            }
            Acknowledged("pod.metadata", pod.Metadata.Name);
        }

        // 3. The annotation last: until it is written, the next pass sees the move as unfinished and repeats it.
        var annotation = desired.IsEmpty ? null : EphemeralMetadata.Format(desired);
        await PatchReplicaSetAsync(sync.ReplicaSet, $"annotate replicaset {Ns}/{sync.ReplicaSet}",
            new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [ReplicaSetAnnotations.EphemeralMetadata] = annotation } } },
            resourceVersion: null, ct);
        Acknowledged("replicaset.metadata", sync.ReplicaSet);
        return true;
    }

    /// <summary>
    /// restartAt: evicts one pod through the Eviction API (as Argo does), which honours PodDisruptionBudgets. A pod
    /// already gone is skipped; a 429 (a budget refused it) fails the action as a transient error, retried with backoff.
    /// </summary>
    private async Task<bool> EvictPodAsync(EvictPod evict, CancellationToken ct)
    {
        var eviction = new V1Eviction
        {
            ApiVersion = "policy/v1",
            Kind = "Eviction",
            Metadata = new V1ObjectMeta { Name = evict.Name, NamespaceProperty = Ns },
        };
        counter.Write();
        try
        {
            await KubernetesCalls.RunAsync($"evict pod {Ns}/{evict.Name}",
                c => client.CoreV1.CreateNamespacedPodEvictionAsync(eviction, evict.Name, Ns, cancellationToken: c), ct);
        }
        catch (ClusterCallException ex) when (ex.Failure == ClusterCallFailure.NotFound)
        {
            return false;
        }
        Acknowledged("pod.evict", evict.Name);
        return true;
    }

    /// <summary>Merge patch of a label or annotation map: previous keys no longer wanted removed, wanted ones set.</summary>
    private static JsonObject KeysPatch(IReadOnlyDictionary<string, string> previous, IReadOnlyDictionary<string, string> desired)
    {
        var patch = new JsonObject();
        foreach (var key in previous.Keys.Where(k => !desired.ContainsKey(k))) patch[key] = null;
        foreach (var (key, value) in desired) patch[key] = value;
        return patch;
    }

    private static bool IsControlledBy(V1Pod pod, string replicaSet) =>
        pod.Metadata.OwnerReferences?.Any(o => o.Kind == "ReplicaSet" && o.Controller == true && o.Name == replicaSet) == true;
}
