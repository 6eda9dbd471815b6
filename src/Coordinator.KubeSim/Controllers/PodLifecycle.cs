using System.Globalization;
using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;
using Coordinator.KubeSim.Faults;
using Coordinator.KubeSim.Store;

namespace Coordinator.KubeSim.Controllers;

/// <summary>
/// Plays scheduler + kubelet: a pending pod becomes Running after the configured delay, and Ready unless one of its
/// containers runs an image of the <see cref="FaultSettings.UnhealthyImages"/> fault (then it looks like a pod whose
/// readiness probe fails: Running, Ready and ContainersReady False, containerStatuses ready false).
/// </summary>
internal sealed class PodLifecycle(ObjectStore store, ClusterFaults faults)
{
    private int _nextIp;

    /// <summary>Starts a pending pod, or brings a running pod's readiness in line with the current faults.</summary>
    public void Reconcile(string ns, string name)
    {
        store.Mutate(ResourceCatalog.Pods, ns, name, pod =>
        {
            var spec = (JsonObject)pod["spec"]!;
            var containers = (spec["containers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var unready = containers.Where(c => faults.IsUnhealthyImage(JsonFields.Str(c, "image") ?? "")).Select(c => JsonFields.Str(c, "name") ?? "").ToList();
            var now = store.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            if (JsonFields.Str(pod["status"], "phase") == "Running") return SetReadiness(pod, unready, now);
            Start(pod, spec, containers, unready, now);
            return true;
        });
    }

    public static bool IsReady(JsonObject pod) =>
        JsonFields.Arr(pod, "status", "conditions")?.Any(c => JsonFields.Str(c, "type") == "Ready" && JsonFields.Str(c, "status") == "True") == true;

    private void Start(JsonObject pod, JsonObject spec, List<JsonObject> containers, List<string> unready, string now)
    {
        spec["nodeName"] ??= "kubesim-node";
        var ip = Interlocked.Increment(ref _nextIp);
        var podIp = $"10.244.{(ip >> 8) & 0xff}.{ip & 0xff}";
        var containerStatuses = new JsonArray();
        foreach (var c in containers)
        {
            var image = JsonFields.Str(c, "image") ?? "";
            containerStatuses.Add(new JsonObject
            {
                ["name"] = JsonFields.Str(c, "name"), ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } },
                ["lastState"] = new JsonObject(), ["ready"] = !unready.Contains(JsonFields.Str(c, "name") ?? ""), ["restartCount"] = 0, ["image"] = image,
                ["imageID"] = "docker.io/" + image, ["containerID"] = "containerd://" + Guid.NewGuid().ToString("N"), ["started"] = true,
            });
        }
        pod["status"] = new JsonObject
        {
            ["phase"] = "Running",
            ["conditions"] = new JsonArray(Condition("PodReadyToStartContainers", now), Condition("Initialized", now),
                ReadinessCondition("Ready", unready, now), ReadinessCondition("ContainersReady", unready, now), Condition("PodScheduled", now)),
            ["hostIP"] = "172.18.0.2", ["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = "172.18.0.2" }),
            ["podIP"] = podIp, ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = podIp }),
            ["startTime"] = now, ["containerStatuses"] = containerStatuses, ["qosClass"] = "Burstable",
        };
    }

    /// <summary>Flips a running pod's Ready/ContainersReady conditions and container readiness; false when nothing changes.</summary>
    private static bool SetReadiness(JsonObject pod, List<string> unready, string now)
    {
        var status = (JsonObject)pod["status"]!;
        if (IsReady(pod) == (unready.Count == 0)) return false;
        var conditions = JsonFields.Arr(status, "conditions") ?? [];
        for (var i = 0; i < conditions.Count; i++)
        {
            var type = JsonFields.Str(conditions[i], "type");
            if (type is "Ready" or "ContainersReady") conditions[i] = ReadinessCondition(type, unready, now);
        }
        foreach (var cs in (JsonFields.Arr(status, "containerStatuses") ?? []).OfType<JsonObject>())
            cs["ready"] = !unready.Contains(JsonFields.Str(cs, "name") ?? "");
        return true;
    }

    private static JsonObject Condition(string type, string now) => new()
    {
        ["type"] = type, ["status"] = "True", ["lastProbeTime"] = null, ["lastTransitionTime"] = now,
    };

    /// <summary>Ready / ContainersReady as the kubelet writes them: False with reason ContainersNotReady while a container is unready.</summary>
    private static JsonObject ReadinessCondition(string type, List<string> unready, string now)
    {
        if (unready.Count == 0) return Condition(type, now);
        return new JsonObject
        {
            ["type"] = type, ["status"] = "False", ["lastProbeTime"] = null, ["lastTransitionTime"] = now,
            ["reason"] = "ContainersNotReady", ["message"] = $"containers with unready status: [{string.Join(" ", unready)}]",
        };
    }
}
