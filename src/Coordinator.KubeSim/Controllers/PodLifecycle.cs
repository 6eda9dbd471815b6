using System.Globalization;
using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;
using Coordinator.KubeSim.Store;

namespace Coordinator.KubeSim.Controllers;

/// <summary>Plays scheduler + kubelet: a pending pod becomes Running and Ready after the configured delay.</summary>
internal sealed class PodLifecycle(ObjectStore store)
{
    private int _nextIp;

    public void MarkReady(string ns, string name)
    {
        store.Mutate(ResourceCatalog.Pods, ns, name, pod =>
        {
            var status = pod["status"] as JsonObject;
            if (JsonFields.Str(status, "phase") == "Running") return false;
            var now = store.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            var spec = (JsonObject)pod["spec"]!;
            spec["nodeName"] ??= "kubesim-node";
            var ip = Interlocked.Increment(ref _nextIp);
            var podIp = $"10.244.{(ip >> 8) & 0xff}.{ip & 0xff}";
            var containerStatuses = new JsonArray();
            foreach (var c in (spec["containers"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var image = JsonFields.Str(c, "image") ?? "";
                containerStatuses.Add(new JsonObject
                {
                    ["name"] = JsonFields.Str(c, "name"), ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } },
                    ["lastState"] = new JsonObject(), ["ready"] = true, ["restartCount"] = 0, ["image"] = image,
                    ["imageID"] = "docker.io/" + image, ["containerID"] = "containerd://" + Guid.NewGuid().ToString("N"), ["started"] = true,
                });
            }
            pod["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["conditions"] = new JsonArray(Condition("PodReadyToStartContainers", now), Condition("Initialized", now),
                    Condition("Ready", now), Condition("ContainersReady", now), Condition("PodScheduled", now)),
                ["hostIP"] = "172.18.0.2", ["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = "172.18.0.2" }),
                ["podIP"] = podIp, ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = podIp }),
                ["startTime"] = now, ["containerStatuses"] = containerStatuses, ["qosClass"] = "Burstable",
            };
            return true;
        });
    }

    public static bool IsReady(JsonObject pod) =>
        JsonFields.Arr(pod, "status", "conditions")?.Any(c => JsonFields.Str(c, "type") == "Ready" && JsonFields.Str(c, "status") == "True") == true;

    private static JsonObject Condition(string type, string now) => new()
    {
        ["type"] = type, ["status"] = "True", ["lastProbeTime"] = null, ["lastTransitionTime"] = now,
    };
}
