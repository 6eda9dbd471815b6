using System.Globalization;
using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;
using Coordinator.KubeSim.Store;

namespace Coordinator.KubeSim.Controllers;

/// <summary>Computes a Deployment's status (counts, observedGeneration, Available/Progressing) from its ReplicaSets.</summary>
internal static class DeploymentStatusWriter
{
    public static void Write(ObjectStore store, StoredObject deployment, List<OwnedReplicaSet> owned, long desired, long maxUnavailable)
    {
        store.Mutate(ResourceCatalog.Deployments, deployment.Namespace, deployment.Name, obj =>
        {
            var template = JsonFields.Obj(obj, "spec", "template");
            var current = owned.FirstOrDefault(rs => JsonNode.DeepEquals(rs.TemplateWithoutHash, template));
            var replicas = owned.Sum(rs => rs.StatusReplicas);
            var updated = current?.StatusReplicas ?? 0;
            var ready = owned.Sum(rs => rs.Ready);
            var available = owned.Sum(rs => rs.Available);
            var unavailable = Math.Max(0, owned.Sum(rs => rs.SpecReplicas) - available);
            var now = store.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            var oldConditions = JsonFields.Arr(obj, "status", "conditions");

            var status = new JsonObject { ["observedGeneration"] = JsonFields.Long(obj["metadata"], "generation") ?? 1 };
            if (replicas > 0) status["replicas"] = replicas;
            if (updated > 0) status["updatedReplicas"] = updated;
            if (ready > 0) status["readyReplicas"] = ready;
            if (available > 0) status["availableReplicas"] = available;
            if (unavailable > 0) status["unavailableReplicas"] = unavailable;

            var isAvailable = available >= desired - maxUnavailable;
            var complete = current != null && updated == desired && replicas == desired && available == desired;
            status["conditions"] = new JsonArray(
                Condition(oldConditions, "Available", isAvailable ? "True" : "False",
                    isAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                    isAvailable ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", now),
                Condition(oldConditions, "Progressing", "True", complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                    current == null ? "Waiting for the new ReplicaSet." :
                    complete ? $"ReplicaSet \"{current.Name}\" has successfully progressed." : $"ReplicaSet \"{current.Name}\" is progressing.", now));
            obj["status"] = status;
            if (current != null) DeploymentController.SetAnnotation(obj, DeploymentController.RevisionAnnotation, current.Revision.ToString(CultureInfo.InvariantCulture));
            return true;
        });
    }

    /// <summary>Keeps the old timestamps when nothing changed, so a no-op reconcile stays a no-op write.</summary>
    private static JsonObject Condition(JsonArray? old, string type, string status, string reason, string message, string now)
    {
        var previous = old?.OfType<JsonObject>().FirstOrDefault(c => JsonFields.Str(c, "type") == type);
        var same = previous != null && JsonFields.Str(previous, "status") == status && JsonFields.Str(previous, "reason") == reason
                   && JsonFields.Str(previous, "message") == message;
        var transitioned = previous == null || JsonFields.Str(previous, "status") != status;
        return new JsonObject
        {
            ["type"] = type, ["status"] = status,
            ["lastUpdateTime"] = same ? previous!["lastUpdateTime"]?.DeepClone() : now,
            ["lastTransitionTime"] = transitioned ? now : previous!["lastTransitionTime"]?.DeepClone(),
            ["reason"] = reason, ["message"] = message,
        };
    }
}
