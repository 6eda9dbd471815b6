using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;
using Coordinator.KubeSim.Store;

namespace Coordinator.KubeSim.Controllers;

/// <summary>Keeps spec.replicas pods per ReplicaSet (owned via a controller ownerReference) and its status true.</summary>
internal sealed class ReplicaSetController(ObjectStore store, EventRecorder events)
{
    private const string Component = "replicaset-controller";

    public void Reconcile(string ns, string name)
    {
        var rs = store.Get(ResourceCatalog.ReplicaSets, ns, name);
        if (rs == null) return;
        var rsObj = JsonFields.ParseObject(rs.Json);
        var desired = JsonFields.Long(rsObj["spec"], "replicas") ?? 1;
        var pods = OwnedPods(rs);

        // A ReplicaSet being deleted gets no new pods (its foreground deletion is waiting for them to go).
        for (var i = pods.Count; i < desired && !rs.Deleting; i++)
        {
            var pod = store.Create(ResourceCatalog.Pods, ns, NewPod(rs, rsObj));
            events.Normal(rs, Component, "SuccessfulCreate", $"Created pod: {pod.Name}");
        }
        if (pods.Count > desired)
        {
            // Delete not-ready pods first, then the newest, like the real controller's ranking.
            var victims = pods.OrderBy(p => PodLifecycle.IsReady(p.Parsed) ? 1 : 0).ThenByDescending(p => p.Stored.ResourceVersion)
                .Take((int)(pods.Count - desired));
            foreach (var v in victims)
            {
                try
                {
                    store.Delete(ResourceCatalog.Pods, ns, v.Stored.Name, PropagationPolicy.Background);
                    events.Normal(rs, Component, "SuccessfulDelete", $"Deleted pod: {v.Stored.Name}");
                }
                catch (KubeApiException e) when (e.Code == 404)
                {
                    // Deleted meanwhile by someone else.
                }
            }
        }
        UpdateStatus(rs);
    }

    private List<(StoredObject Stored, JsonObject Parsed)> OwnedPods(StoredObject rs) =>
        store.List(ResourceCatalog.Pods, rs.Namespace, null, null, out _)
            .Where(p => p.ControllerOwnerUid == rs.Uid)
            .Select(p => (p, JsonFields.ParseObject(p.Json)))
            .ToList();

    private void UpdateStatus(StoredObject rs)
    {
        var pods = OwnedPods(rs);
        var ready = pods.Count(p => PodLifecycle.IsReady(p.Parsed));
        store.Mutate(ResourceCatalog.ReplicaSets, rs.Namespace, rs.Name, obj =>
        {
            var status = new JsonObject { ["replicas"] = pods.Count };
            if (pods.Count > 0) status["fullyLabeledReplicas"] = pods.Count;
            if (ready > 0)
            {
                status["readyReplicas"] = ready;
                status["availableReplicas"] = ready;
            }
            status["observedGeneration"] = JsonFields.Long(obj["metadata"], "generation") ?? 1;
            obj["status"] = status;
            return true;
        });
    }

    private static JsonObject NewPod(StoredObject rs, JsonObject rsObj)
    {
        var template = JsonFields.Obj(rsObj, "spec", "template") ?? new JsonObject();
        var meta = new JsonObject { ["generateName"] = rs.Name + "-" };
        if (template["metadata"] is JsonObject tm)
        {
            if (tm["labels"] != null) meta["labels"] = tm["labels"]!.DeepClone();
            if (tm["annotations"] != null) meta["annotations"] = tm["annotations"]!.DeepClone();
        }
        meta["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet", ["name"] = rs.Name, ["uid"] = rs.Uid,
            ["controller"] = true, ["blockOwnerDeletion"] = true,
        });
        return new JsonObject { ["metadata"] = meta, ["spec"] = template["spec"]?.DeepClone() ?? new JsonObject() };
    }
}
