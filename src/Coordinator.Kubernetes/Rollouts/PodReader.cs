using Coordinator.Domain.Observation;
using k8s;
using k8s.Models;

namespace Coordinator.Kubernetes.Rollouts;

/// <summary>
/// Lists the pods of Rollout ReplicaSets for display, and derives the STATUS the kubectl plugin prints for each
/// (its <c>newPodInfo</c>, itself kubectl's printPod): a container's waiting/terminated reason wins over the phase.
/// </summary>
internal static class PodReader
{
    public static async Task<IReadOnlyList<ObservedPod>> ListAsync(IKubernetes client, string ns, CancellationToken ct)
    {
        var pods = await KubernetesCalls.RunAsync($"list pods in {ns}",
            c => client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: ReplicaSetAnnotations.PodTemplateHashLabel, cancellationToken: c), ct);
        return pods.Items.Select(ToObserved).ToList();
    }

    internal static ObservedPod ToObserved(V1Pod pod)
    {
        var (status, ready, restarts) = Describe(pod);
        return new ObservedPod
        {
            Name = pod.Metadata.Name,
            PodTemplateHash = pod.Metadata.Labels?.TryGetValue(ReplicaSetAnnotations.PodTemplateHashLabel, out var hash) == true ? hash : "",
            OwnerReplicaSet = pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Kind == "ReplicaSet" && o.Controller == true)?.Name
                ?? pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Kind == "ReplicaSet")?.Name,
            Phase = pod.Status?.Phase ?? "",
            Status = status,
            ReadyContainers = ready,
            TotalContainers = pod.Spec?.Containers?.Count ?? 0,
            Restarts = restarts,
            CreationTimestamp = pod.Metadata.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : default,
            ReadySince = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready" && c.Status == "True") is { } readyCondition
                ? new DateTimeOffset(DateTime.SpecifyKind(readyCondition.LastTransitionTime ?? default, DateTimeKind.Utc))
                : null,
            Terminating = pod.Metadata.DeletionTimestamp is not null,
        };
    }

    private static (string Status, int Ready, int Restarts) Describe(V1Pod pod)
    {
        var reason = string.IsNullOrEmpty(pod.Status?.Reason) ? pod.Status?.Phase ?? "" : pod.Status.Reason;
        var ready = 0;
        var restarts = 0;
        var initializing = false;

        var initStatuses = pod.Status?.InitContainerStatuses ?? [];
        var initCount = pod.Spec?.InitContainers?.Count ?? 0;
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var c = initStatuses[i];
            restarts += c.RestartCount;
            var sidecar = pod.Spec?.InitContainers?.FirstOrDefault(s => s.Name == c.Name)?.RestartPolicy == "Always";
            if (c.State?.Terminated is { ExitCode: 0 }) continue;
            if (c.State?.Terminated is { } terminated)
                reason = "Init:" + (string.IsNullOrEmpty(terminated.Reason) ? ExitText(terminated) : terminated.Reason);
            else if (sidecar && c.Started == true)
            {
                if (c.Ready) continue;
                break; // a started sidecar that is not ready yet: initialisation goes on, the phase stays
            }
            else if (c.State?.Waiting is { Reason: { Length: > 0 } waiting } && waiting != "PodInitializing")
                reason = "Init:" + waiting;
            else
                reason = $"Init:{i}/{initCount}";
            initializing = true;
            break;
        }

        if (!initializing)
        {
            restarts = 0;
            var hasRunning = false;
            var statuses = pod.Status?.ContainerStatuses ?? [];
            // Backwards, as kubectl does: the first container's reason is the one that sticks.
            for (var i = statuses.Count - 1; i >= 0; i--)
            {
                var c = statuses[i];
                restarts += c.RestartCount;
                if (c.State?.Waiting is { Reason: { Length: > 0 } waiting })
                    reason = waiting;
                else if (c.State?.Terminated is { Reason: { Length: > 0 } terminatedReason })
                    reason = terminatedReason;
                else if (c.State?.Terminated is { } terminated)
                    reason = ExitText(terminated);
                else if (c.Ready && c.State?.Running is not null)
                {
                    hasRunning = true;
                    ready++;
                }
            }
            if (reason == "Completed" && hasRunning) reason = "Running";
        }

        if (pod.Metadata.DeletionTimestamp is not null)
            reason = pod.Status?.Reason == "NodeLost" ? "Unknown" : "Terminating";
        return (reason, ready, restarts);
    }

    private static string ExitText(V1ContainerStateTerminated terminated) =>
        terminated.Signal is { } signal and not 0 ? $"Signal:{signal}" : $"ExitCode:{terminated.ExitCode}";
}
