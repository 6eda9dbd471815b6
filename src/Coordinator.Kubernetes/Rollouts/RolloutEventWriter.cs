using Coordinator.Domain.Actions;
using Coordinator.Domain.Ports;
using Coordinator.Kubernetes.Clusters;
using k8s;
using k8s.Models;

namespace Coordinator.Kubernetes.Rollouts;

/// <summary>
/// Writes a Rollout's Events as Argo's controller does (involvedObject the Rollout, source <c>rollouts-controller</c>),
/// each named after the Rollout, its uid and the Event's number in the Rollout's history. The name makes a resend
/// idempotent: a successor activation that sends again an Event its crashed predecessor already wrote gets 409
/// AlreadyExists, which means the Event is there.
/// </summary>
internal static class RolloutEventWriter
{
    /// <summary>Object names are DNS subdomains: at most 253 characters.</summary>
    private const int MaxNameLength = 253;

    public static async Task SendAsync(
        IKubernetes client, RolloutTarget target, EmitEvent emitted, long sequence, ApiCallCounter counter, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var @event = new Corev1Event
        {
            Metadata = new V1ObjectMeta
            {
                Name = Name(target, sequence),
                NamespaceProperty = target.Namespace,
                Annotations = emitted.RequestedBy is { } user ? new Dictionary<string, string> { [RolloutEvents.RequestedByAnnotation] = user } : null,
            },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = "argoproj.io/v1alpha1", Kind = "Rollout", Name = target.Name, NamespaceProperty = target.Namespace, Uid = target.Uid,
            },
            Reason = emitted.Reason,
            Message = emitted.Message,
            Type = emitted.Type.ToString(),
            Source = new V1EventSource { Component = "rollouts-controller" },
            ReportingComponent = "rollouts-controller",
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        };
        counter.Write();
        try
        {
            // As CreateNamespacedEventAsync, without reading the Event back into a model: nothing reads it (half the
            // writes of an update are Events; parsing their answers was ~3 % of the silo's CPU in a 1,000-cluster fleet run).
            await KubernetesCalls.RunAsync($"create event in {target.Namespace}",
                c => RawKubernetesRequests.SendAsync(client, HttpMethod.Post, RawKubernetesRequests.Path("api/v1", target.Namespace, "events"),
                    RequestBody.Of(@event), c), ct);
        }
        catch (ClusterCallException ex) when (ex.Failure == ClusterCallFailure.Conflict)
        {
            return; // AlreadyExists: this Event was written before (by an activation that did not live to record it).
        }
        counter.Acknowledged(target.Cluster, target.Namespace, "event.create", emitted.Reason, time.GetUtcNow());
    }

    /// <summary><c>&lt;rollout&gt;.&lt;uid prefix&gt;&lt;sequence, hex&gt;</c>: unique per Rollout incarnation and Event.</summary>
    internal static string Name(RolloutTarget target, long sequence)
    {
        var uid = target.Uid.Replace("-", "", StringComparison.Ordinal);
        var suffix = $".{uid[..Math.Min(8, uid.Length)]}{sequence:x}";
        var prefix = target.Name.Length + suffix.Length > MaxNameLength ? target.Name[..(MaxNameLength - suffix.Length)] : target.Name;
        return prefix + suffix;
    }
}
