using System.Text.Json.Nodes;
using Coordinator.KubeSim.Api;

namespace Coordinator.KubeSim.Store;

/// <summary>
/// Per-type defaulting the real apiserver does on writes (service ClusterIP, pod status, workload defaults, Istio
/// sidecar injection). Defaults are applied on every write so a template that round-trips does not look changed.
/// </summary>
internal static class Admission
{
    public static void OnCreate(ResourceType t, JsonObject obj, ObjectStore store)
    {
        if (t == ResourceCatalog.Namespaces)
        {
            var labels = JsonFields.Obj(obj, "metadata", "labels") ?? new JsonObject();
            labels["kubernetes.io/metadata.name"] = JsonFields.Str(obj["metadata"], "name");
            JsonFields.Metadata(obj)["labels"] = labels;
            obj["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
            obj["status"] = new JsonObject { ["phase"] = "Active" };
        }
        else if (t == ResourceCatalog.Services)
        {
            var spec = SpecOf(obj);
            spec["type"] ??= "ClusterIP";
            if (JsonFields.Str(spec, "type") != "ExternalName" && JsonFields.Str(spec, "clusterIP") is null or "")
            {
                var ip = store.AllocateClusterIp();
                spec["clusterIP"] = ip;
                spec["clusterIPs"] = new JsonArray(ip);
            }
            obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
        }
        else if (t == ResourceCatalog.Pods)
        {
            // Built-in admission (ServiceAccount token mount, tolerations) runs before the Istio injection webhook.
            PodAdmission.OnCreate(SpecOf(obj));
            if (store.NamespaceHasSidecarInjection(JsonFields.Str(obj["metadata"], "namespace")) && WantsSidecar(obj))
                InjectSidecar(SpecOf(obj));
            obj["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = "Burstable" };
        }
        else if (t == ResourceCatalog.Deployments || t == ResourceCatalog.ReplicaSets)
        {
            obj.Remove("status");
        }
        else if (t == ResourceCatalog.CustomResourceDefinitions)
        {
            CrdDefinition.ValidateAndDefault(obj);
            CrdDefinition.WriteStatus(obj, null, JsonFields.Str(obj["metadata"], "creationTimestamp") ?? "");
        }
        OnWrite(t, obj);
    }

    /// <remarks>
    /// For Deployments, ReplicaSets, Pods and Services the store skips this (and validation) when an update leaves the
    /// spec exactly as stored (ObjectStore.SpecOnlyAdmission): what it does to those types must stay within the spec
    /// and be idempotent.
    /// </remarks>
    public static void OnUpdate(ResourceType t, JsonObject old, JsonObject updated, string now)
    {
        if (t == ResourceCatalog.CustomResourceDefinitions)
        {
            CrdDefinition.ValidateAndDefault(updated);
            CrdDefinition.WriteStatus(updated, JsonFields.Obj(old, "status"), now);
        }
        if (t == ResourceCatalog.Services)
        {
            // clusterIP is immutable and clients (kubectl apply) usually omit it.
            var spec = SpecOf(updated);
            if (JsonFields.Str(spec, "clusterIP") is null or "")
            {
                spec["clusterIP"] = JsonFields.Obj(old, "spec")?["clusterIP"]?.DeepClone();
                spec["clusterIPs"] = JsonFields.Obj(old, "spec")?["clusterIPs"]?.DeepClone();
            }
        }
        OnWrite(t, updated);
    }

    private static void OnWrite(ResourceType t, JsonObject obj)
    {
        if (t == ResourceCatalog.Secrets && obj["stringData"] is JsonObject stringData)
        {
            // stringData is write-only: the apiserver merges it into data, base64-encoded.
            var data = obj["data"] as JsonObject ?? new JsonObject();
            foreach (var (k, v) in stringData) data[k] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(v?.ToString() ?? ""));
            obj["data"] = data;
            obj.Remove("stringData");
        }
        if (t == ResourceCatalog.Services)
        {
            var spec = SpecOf(obj);
            spec["type"] ??= "ClusterIP";
            spec["sessionAffinity"] ??= "None";
            spec["ipFamilies"] ??= new JsonArray("IPv4");
            spec["ipFamilyPolicy"] ??= "SingleStack";
            spec["internalTrafficPolicy"] ??= "Cluster";
            if (spec["ports"] is JsonArray ports)
            {
                foreach (var p in ports.OfType<JsonObject>())
                {
                    p["protocol"] ??= "TCP";
                    p["targetPort"] ??= p["port"]?.DeepClone();
                }
            }
        }
        else if (t == ResourceCatalog.Deployments)
        {
            var spec = SpecOf(obj);
            spec["replicas"] ??= 1;
            spec["revisionHistoryLimit"] ??= 10;
            spec["progressDeadlineSeconds"] ??= 600;
            spec["strategy"] ??= new JsonObject
            {
                ["type"] = "RollingUpdate",
                ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = "25%", ["maxSurge"] = "25%" },
            };
            DefaultPodTemplate(JsonFields.Obj(spec, "template"));
        }
        else if (t == ResourceCatalog.ReplicaSets)
        {
            SpecOf(obj)["replicas"] ??= 1;
            DefaultPodTemplate(JsonFields.Obj(obj, "spec", "template"));
        }
        else if (t == ResourceCatalog.Pods)
        {
            DefaultPodSpec(SpecOf(obj));
        }
    }

    /// <summary>A template's ObjectMeta always serializes creationTimestamp (Go's metav1.Time is not omitempty): null.</summary>
    private static void DefaultPodTemplate(JsonObject? template)
    {
        if (template == null) return;
        var meta = JsonFields.Metadata(template);
        if (!meta.ContainsKey("creationTimestamp")) meta["creationTimestamp"] = null;
        DefaultPodSpec(JsonFields.Obj(template, "spec"));
    }

    private static void DefaultPodSpec(JsonObject? spec)
    {
        if (spec == null) return;
        spec["restartPolicy"] ??= "Always";
        spec["terminationGracePeriodSeconds"] ??= 30;
        spec["dnsPolicy"] ??= "ClusterFirst";
        spec["securityContext"] ??= new JsonObject();
        spec["schedulerName"] ??= "default-scheduler";
        foreach (var list in new[] { "containers", "initContainers" })
        {
            if (spec[list] is not JsonArray containers) continue;
            foreach (var c in containers.OfType<JsonObject>())
            {
                c["terminationMessagePath"] ??= "/dev/termination-log";
                c["terminationMessagePolicy"] ??= "File";
                var image = JsonFields.Str(c, "image") ?? "";
                c["imagePullPolicy"] ??= image.Contains(':') && !image.EndsWith(":latest", StringComparison.Ordinal) ? "IfNotPresent" : "Always";
                c["resources"] ??= new JsonObject();
            }
        }
    }

    private static bool WantsSidecar(JsonObject pod) =>
        JsonFields.Str(JsonFields.Obj(pod, "metadata", "annotations"), "sidecar.istio.io/inject") != "false"
        && JsonFields.Str(JsonFields.Obj(pod, "metadata", "labels"), "sidecar.istio.io/inject") != "false";

    /// <summary>What istio-injection=enabled does to a pod, as far as kubectl can see: a second container.</summary>
    private static void InjectSidecar(JsonObject spec)
    {
        if (spec["containers"] is not JsonArray containers) return;
        if (containers.Any(c => JsonFields.Str(c, "name") == "istio-proxy")) return;
        containers.Add(new JsonObject
        {
            ["name"] = "istio-proxy",
            ["image"] = "docker.io/istio/proxyv2:1.24.0",
            ["args"] = new JsonArray("proxy", "sidecar"),
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http-envoy-prom", ["containerPort"] = 15090, ["protocol"] = "TCP" }),
            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "10m", ["memory"] = "40Mi" } },
        });
    }

    private static JsonObject SpecOf(JsonObject obj)
    {
        if (obj["spec"] is JsonObject s) return s;
        s = new JsonObject();
        obj["spec"] = s;
        return s;
    }
}
