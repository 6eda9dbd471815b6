using System.Globalization;
using System.Text.Json.Nodes;
using Coordinator.KubeSim.Store;

namespace Coordinator.KubeSim.Controllers;

/// <summary>A ReplicaSet as the Deployment controller sees it: its replica counts and revision.</summary>
internal sealed class OwnedReplicaSet(StoredObject stored)
{
    public StoredObject Stored { get; } = stored;
    public JsonObject Object { get; } = JsonFields.ParseObject(stored.Json);
    public string Name => Stored.Name;
    public long SpecReplicas => JsonFields.Long(Object["spec"], "replicas") ?? 0;
    public long StatusReplicas => JsonFields.Long(Object["status"], "replicas") ?? 0;
    public long Ready => JsonFields.Long(Object["status"], "readyReplicas") ?? 0;
    public long Available => JsonFields.Long(Object["status"], "availableReplicas") ?? 0;

    public long Revision =>
        long.TryParse(JsonFields.Str(JsonFields.Obj(Object, "metadata", "annotations"), DeploymentController.RevisionAnnotation),
            NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? r : 0;

    public JsonNode? TemplateWithoutHash => PodTemplateHash.WithoutHashLabel(JsonFields.Obj(Object, "spec", "template"));
}
