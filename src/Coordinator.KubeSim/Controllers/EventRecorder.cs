using System.Globalization;
using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;
using Coordinator.KubeSim.Store;

namespace Coordinator.KubeSim.Controllers;

/// <summary>Writes core/v1 Events the way the kube-controller-manager's recorders do.</summary>
internal sealed class EventRecorder(ObjectStore store)
{
    public void Normal(StoredObject involved, string component, string reason, string message)
    {
        var now = store.Time.GetUtcNow();
        var stamp = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var evt = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{involved.Name}.{(now.ToUnixTimeMilliseconds() * 1_000_000 + Random.Shared.Next(1_000_000)):x}",
                ["namespace"] = involved.Namespace,
            },
            ["involvedObject"] = new JsonObject
            {
                ["kind"] = involved.Type.Kind, ["namespace"] = involved.Namespace, ["name"] = involved.Name, ["uid"] = involved.Uid,
                ["apiVersion"] = involved.Type.StorageApiVersion,
                ["resourceVersion"] = involved.ResourceVersion.ToString(CultureInfo.InvariantCulture),
            },
            ["reason"] = reason, ["message"] = message,
            ["source"] = new JsonObject { ["component"] = component },
            ["firstTimestamp"] = stamp, ["lastTimestamp"] = stamp, ["count"] = 1, ["type"] = "Normal",
            ["eventTime"] = null, ["reportingComponent"] = component, ["reportingInstance"] = "",
        };
        try
        {
            store.Create(ResourceCatalog.Events, involved.Namespace, evt);
        }
        catch (KubeApiException)
        {
            // The namespace is being deleted; an event is not worth failing the reconcile for.
        }
    }
}
