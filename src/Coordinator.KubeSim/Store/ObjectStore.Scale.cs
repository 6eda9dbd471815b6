using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;

namespace Coordinator.KubeSim.Store;

/// <summary>The autoscaling/v1 Scale subresource of deployments and replicasets.</summary>
internal sealed partial class ObjectStore
{
    public JsonObject GetScale(ResourceType t, string ns, string name)
    {
        var o = Get(t, ns, name) ?? throw KubeApiException.NotFound(t, name);
        return BuildScale(JsonFields.ParseObject(o.Json));
    }

    /// <summary>Applies <paramref name="change"/> to the current Scale and writes its spec.replicas back to the object.</summary>
    public JsonObject UpdateScale(ResourceType t, string ns, string name, Func<JsonObject, JsonObject> change)
    {
        lock (_gate)
        {
            var old = Find(t, ns, name) ?? throw KubeApiException.NotFound(t, name);
            var current = JsonFields.ParseObject(old.Json);
            var scale = change(BuildScale(current));
            var replicas = JsonFields.Long(scale["spec"], "replicas") ?? 0;
            if (replicas < 0) throw new KubeApiException(422, "Invalid", $"Scale.autoscaling \"{name}\" is invalid: spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0", name, "autoscaling", "Scale");
            var updated = (JsonObject)current.DeepClone();
            ((JsonObject)updated["spec"]!)["replicas"] = replicas;
            JsonFields.Metadata(updated)["resourceVersion"] = JsonFields.Str(scale["metadata"], "resourceVersion") is { Length: > 0 } rv ? rv : RvString(old.ResourceVersion);
            var stored = UpdateLocked(t, old, current, updated, WriteMode.Main);
            return BuildScale(JsonFields.ParseObject(stored.Json));
        }
    }

    private static JsonObject BuildScale(JsonObject obj)
    {
        var meta = JsonFields.Metadata(obj);
        return new JsonObject
        {
            ["kind"] = "Scale", ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = meta["name"]?.DeepClone(), ["namespace"] = meta["namespace"]?.DeepClone(), ["uid"] = meta["uid"]?.DeepClone(),
                ["resourceVersion"] = meta["resourceVersion"]?.DeepClone(), ["creationTimestamp"] = meta["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = JsonFields.Long(obj["spec"], "replicas") ?? 0 },
            ["status"] = new JsonObject
            {
                ["replicas"] = JsonFields.Long(obj["status"], "replicas") ?? 0,
                ["selector"] = SelectorJson.ToSelectorString(JsonFields.Obj(obj, "spec", "selector")),
            },
        };
    }
}
