using System.Globalization;
using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;
using Coordinator.KubeSim.Store;

namespace Coordinator.KubeSim.Controllers;

/// <summary>
/// Deployment → ReplicaSets, like kube-controller-manager's deployment controller: one ReplicaSet per pod
/// template (named &lt;deployment&gt;-&lt;pod-template-hash&gt;), rolling updates bounded by maxSurge/maxUnavailable.
/// ReplicaSets whose controller ownerReference is this Deployment's uid are managed; like the real controller's
/// <c>ClaimReplicaSets</c>, an orphan (no controller ownerReference at all) whose labels match the Deployment's selector
/// is adopted first. A ReplicaSet with any other controller — another Deployment, a rollout's owner — is never touched.
/// </summary>
internal sealed class DeploymentController(ObjectStore store, EventRecorder events)
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";
    private const string Component = "deployment-controller";

    public void Reconcile(string ns, string name)
    {
        var stored = store.Get(ResourceCatalog.Deployments, ns, name);
        if (stored == null) return;
        var deployment = JsonFields.ParseObject(stored.Json);
        var spec = (JsonObject)deployment["spec"]!;
        var template = spec["template"];
        var desired = JsonFields.Long(spec, "replicas") ?? 1;

        AdoptOrphans(stored, spec);
        var owned = OwnedReplicaSets(stored);
        var current = owned.FirstOrDefault(rs => JsonNode.DeepEquals(rs.TemplateWithoutHash, template));
        var old = owned.Where(rs => rs != current).ToList();
        var maxRevision = owned.Count == 0 ? 0 : owned.Max(rs => rs.Revision);
        var paused = spec["paused"] is JsonValue p && p.TryGetValue<bool>(out var isPaused) && isPaused;
        var (maxSurge, maxUnavailable) = RollingParameters(spec, desired);

        if (!paused && !stored.Deleting)
        {
            if (current == null)
            {
                current = CreateReplicaSet(stored, deployment, old, desired, maxSurge, maxRevision + 1);
            }
            else if (current.Revision < maxRevision)
            {
                // Rolling back to an older template makes its ReplicaSet the newest revision again.
                store.Mutate(ResourceCatalog.ReplicaSets, ns, current.Name, o => SetAnnotation(o, RevisionAnnotation, (maxRevision + 1).ToString(CultureInfo.InvariantCulture)));
            }
            if (current != null) Roll(stored, spec, current, old, desired, maxSurge, maxUnavailable);
        }
        DeploymentStatusWriter.Write(store, stored, OwnedReplicaSets(stored), desired, maxUnavailable);
    }

    /// <summary>Orphans matching the selector's matchLabels get this Deployment as controller (no adoption while deleting).</summary>
    private void AdoptOrphans(StoredObject deployment, JsonObject spec)
    {
        if (JsonFields.Metadata(JsonFields.ParseObject(deployment.Json))["deletionTimestamp"] is not null) return;
        if (spec["selector"]?["matchLabels"] is not JsonObject { Count: > 0 } matchLabels) return;
        var selector = matchLabels.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "");
        foreach (var rs in store.List(ResourceCatalog.ReplicaSets, deployment.Namespace, null, null, out _))
        {
            if (rs.ControllerOwnerUid != null || rs.Labels == null || !selector.All(p => rs.Label(p.Key) == p.Value)) continue;
            store.Mutate(ResourceCatalog.ReplicaSets, rs.Namespace, rs.Name, o =>
            {
                var meta = JsonFields.Metadata(o);
                var references = meta["ownerReferences"] as JsonArray ?? new JsonArray();
                references.Add(new JsonObject
                {
                    ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = deployment.Name, ["uid"] = deployment.Uid,
                    ["controller"] = true, ["blockOwnerDeletion"] = true,
                });
                meta["ownerReferences"] = references;
                return true;
            });
        }
    }

    private List<OwnedReplicaSet> OwnedReplicaSets(StoredObject deployment) =>
        store.List(ResourceCatalog.ReplicaSets, deployment.Namespace, null, null, out _)
            .Where(rs => rs.ControllerOwnerUid == deployment.Uid)
            .Select(rs => new OwnedReplicaSet(rs))
            .ToList();

    private void Roll(StoredObject deployment, JsonObject spec, OwnedReplicaSet current, List<OwnedReplicaSet> old, long desired, long maxSurge, long maxUnavailable)
    {
        var recreate = JsonFields.Str(spec["strategy"], "type") == "Recreate";
        if (recreate)
        {
            foreach (var rs in old.Where(rs => rs.SpecReplicas > 0)) Scale(deployment, rs, 0);
            if (old.All(rs => rs.StatusReplicas == 0 && rs.SpecReplicas == 0) && current.SpecReplicas != desired) Scale(deployment, current, desired);
            return;
        }
        if (old.All(rs => rs.SpecReplicas == 0))
        {
            if (current.SpecReplicas != desired) Scale(deployment, current, desired);
            return;
        }

        // Scale up the new ReplicaSet within desired + maxSurge pods in total.
        var total = current.SpecReplicas + old.Sum(rs => rs.SpecReplicas);
        var maxTotal = desired + maxSurge;
        var newReplicas = current.SpecReplicas;
        if (total < maxTotal) newReplicas = Math.Min(desired, current.SpecReplicas + (maxTotal - total));
        if (newReplicas != current.SpecReplicas) Scale(deployment, current, newReplicas);

        // Scale old ones down while at least desired - maxUnavailable pods stay available; unhealthy ones go first.
        var minAvailable = desired - maxUnavailable;
        var available = current.Available + old.Sum(rs => rs.Available);
        var newUnavailable = newReplicas - current.Available;
        var allPods = newReplicas + old.Sum(rs => rs.SpecReplicas);
        var budget = Math.Max(0, allPods - minAvailable - newUnavailable);
        var remaining = old.ToDictionary(rs => rs.Name, rs => rs.SpecReplicas);
        foreach (var rs in old.OrderBy(rs => rs.Revision))
        {
            if (budget <= 0) break;
            var unhealthy = Math.Max(0, rs.SpecReplicas - rs.Available);
            var cut = Math.Min(unhealthy, budget);
            if (cut <= 0) continue;
            remaining[rs.Name] -= cut;
            budget -= cut;
        }
        var scaleDownBudget = Math.Max(0, available - minAvailable);
        foreach (var rs in old.OrderBy(rs => rs.Revision))
        {
            if (scaleDownBudget <= 0) break;
            var cut = Math.Min(remaining[rs.Name], scaleDownBudget);
            remaining[rs.Name] -= cut;
            scaleDownBudget -= cut;
        }
        foreach (var rs in old)
        {
            if (remaining[rs.Name] != rs.SpecReplicas) Scale(deployment, rs, remaining[rs.Name]);
        }
    }

    private void Scale(StoredObject deployment, OwnedReplicaSet rs, long replicas)
    {
        var from = rs.SpecReplicas;
        var updated = store.Mutate(ResourceCatalog.ReplicaSets, rs.Stored.Namespace, rs.Name, o =>
        {
            ((JsonObject)o["spec"]!)["replicas"] = replicas;
            SetAnnotation(o, "deployment.kubernetes.io/desired-replicas", (JsonFields.Long(JsonFields.ParseObject(deployment.Json)["spec"], "replicas") ?? 1).ToString(CultureInfo.InvariantCulture));
            return true;
        });
        if (updated == null) return;
        var direction = replicas > from ? "up" : "down";
        events.Normal(deployment, Component, "ScalingReplicaSet", $"Scaled {direction} replica set {rs.Name} from {from} to {replicas}");
    }

    private OwnedReplicaSet? CreateReplicaSet(StoredObject stored, JsonObject deployment, List<OwnedReplicaSet> old, long desired, long maxSurge, long revision)
    {
        var spec = (JsonObject)deployment["spec"]!;
        var hash = PodTemplateHash.Compute(spec["template"]);
        var template = (JsonObject)spec["template"]!.DeepClone();
        var templateMeta = JsonFields.Metadata(template);
        var labels = templateMeta["labels"] as JsonObject ?? new JsonObject();
        labels[PodTemplateHash.Label] = hash;
        templateMeta["labels"] = labels;
        var selector = (JsonObject)(spec["selector"]?.DeepClone() ?? new JsonObject());
        var matchLabels = selector["matchLabels"] as JsonObject ?? new JsonObject();
        matchLabels[PodTemplateHash.Label] = hash;
        selector["matchLabels"] = matchLabels;

        // The first ReplicaSet gets every replica; a new one during a rollout starts within the surge budget.
        var total = old.Sum(rs => rs.SpecReplicas);
        var replicas = total == 0 || JsonFields.Str(spec["strategy"], "type") == "Recreate"
            ? (total == 0 ? desired : 0)
            : Math.Max(0, Math.Min(desired, desired + maxSurge - total));

        var rsObj = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = stored.Name + "-" + hash,
                ["labels"] = labels.DeepClone(),
                ["annotations"] = new JsonObject
                {
                    ["deployment.kubernetes.io/desired-replicas"] = desired.ToString(CultureInfo.InvariantCulture),
                    ["deployment.kubernetes.io/max-replicas"] = (desired + maxSurge).ToString(CultureInfo.InvariantCulture),
                    [RevisionAnnotation] = revision.ToString(CultureInfo.InvariantCulture),
                },
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = stored.Name, ["uid"] = stored.Uid,
                    ["controller"] = true, ["blockOwnerDeletion"] = true,
                }),
            },
            ["spec"] = new JsonObject { ["replicas"] = replicas, ["selector"] = selector, ["template"] = template },
        };
        if (spec["minReadySeconds"] != null) ((JsonObject)rsObj["spec"]!)["minReadySeconds"] = spec["minReadySeconds"]!.DeepClone();
        StoredObject created;
        try
        {
            created = store.Create(ResourceCatalog.ReplicaSets, stored.Namespace, rsObj);
        }
        catch (KubeApiException e) when (e.Code == 409)
        {
            // A ReplicaSet with that name exists but is not ours (no adoption): leave it alone.
            return null;
        }
        events.Normal(stored, Component, "ScalingReplicaSet", $"Scaled up replica set {created.Name} from 0 to {replicas}");
        return new OwnedReplicaSet(created);
    }

    /// <summary>maxSurge rounds up, maxUnavailable rounds down; both zero would deadlock, so maxUnavailable becomes 1.</summary>
    private static (long MaxSurge, long MaxUnavailable) RollingParameters(JsonObject spec, long desired)
    {
        var rolling = JsonFields.Obj(spec, "strategy", "rollingUpdate");
        var surge = Resolve(rolling?["maxSurge"], desired, roundUp: true, fallback: "25%");
        var unavailable = Resolve(rolling?["maxUnavailable"], desired, roundUp: false, fallback: "25%");
        if (surge == 0 && unavailable == 0) unavailable = 1;
        return (surge, unavailable);
    }

    private static long Resolve(JsonNode? value, long desired, bool roundUp, string fallback)
    {
        var text = value?.ToString() ?? fallback;
        if (text.EndsWith('%') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent))
        {
            var raw = desired * percent / 100.0;
            return (long)(roundUp ? Math.Ceiling(raw) : Math.Floor(raw));
        }
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
    }

    internal static bool SetAnnotation(JsonObject obj, string key, string value)
    {
        var meta = JsonFields.Metadata(obj);
        var annotations = meta["annotations"] as JsonObject ?? new JsonObject();
        annotations[key] = value;
        meta["annotations"] = annotations;
        return true;
    }
}
