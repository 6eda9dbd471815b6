using System.Text.Json.Nodes;

namespace Coordinator.KubeSim.Store;

/// <summary>
/// What the apiserver's built-in admission adds to a new pod, as a real pod shows it (01-created-pod-*.json): the
/// ServiceAccount plugin (serviceAccountName, the projected kube-api-access-xxxxx token volume mounted in every
/// container), DefaultTolerationSeconds (not-ready/unreachable for 300 s), and Priority defaults.
/// </summary>
internal static class PodAdmission
{
    public const string TokenMountPath = "/var/run/secrets/kubernetes.io/serviceaccount";

    public static void OnCreate(JsonObject spec)
    {
        var account = JsonFields.Str(spec, "serviceAccountName") ?? JsonFields.Str(spec, "serviceAccount") ?? "default";
        spec["serviceAccountName"] = account;
        spec["serviceAccount"] = account;
        spec["enableServiceLinks"] ??= true;
        spec["priority"] ??= 0;
        spec["preemptionPolicy"] ??= "PreemptLowerPriority";
        AddTolerations(spec);
        if (spec["automountServiceAccountToken"] is JsonValue mount && mount.TryGetValue<bool>(out var automount) && !automount) return;
        MountToken(spec);
    }

    private static void AddTolerations(JsonObject spec)
    {
        var tolerations = spec["tolerations"] as JsonArray ?? [];
        foreach (var key in new[] { "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable" })
        {
            if (tolerations.Any(t => JsonFields.Str(t, "key") == key && JsonFields.Str(t, "effect") is null or "NoExecute")) continue;
            tolerations.Add(new JsonObject { ["effect"] = "NoExecute", ["key"] = key, ["operator"] = "Exists", ["tolerationSeconds"] = 300 });
        }
        spec["tolerations"] = tolerations;
    }

    private static void MountToken(JsonObject spec)
    {
        var volumes = spec["volumes"] as JsonArray ?? [];
        var name = "kube-api-access-" + NameGenerator.RandomSuffix();
        volumes.Add(new JsonObject
        {
            ["name"] = name,
            ["projected"] = new JsonObject
            {
                ["defaultMode"] = 420,
                ["sources"] = new JsonArray(
                    new JsonObject { ["serviceAccountToken"] = new JsonObject { ["expirationSeconds"] = 3607, ["path"] = "token" } },
                    new JsonObject
                    {
                        ["configMap"] = new JsonObject
                        {
                            ["items"] = new JsonArray(new JsonObject { ["key"] = "ca.crt", ["path"] = "ca.crt" }), ["name"] = "kube-root-ca.crt",
                        },
                    },
                    new JsonObject
                    {
                        ["downwardAPI"] = new JsonObject
                        {
                            ["items"] = new JsonArray(new JsonObject
                            {
                                ["fieldRef"] = new JsonObject { ["apiVersion"] = "v1", ["fieldPath"] = "metadata.namespace" }, ["path"] = "namespace",
                            }),
                        },
                    }),
            },
        });
        spec["volumes"] = volumes;
        foreach (var list in new[] { "initContainers", "containers" })
        {
            foreach (var c in (spec[list] as JsonArray ?? []).OfType<JsonObject>())
            {
                var mounts = c["volumeMounts"] as JsonArray ?? [];
                if (mounts.Any(m => JsonFields.Str(m, "mountPath") == TokenMountPath)) continue;
                mounts.Add(new JsonObject { ["mountPath"] = TokenMountPath, ["name"] = name, ["readOnly"] = true });
                c["volumeMounts"] = mounts;
            }
        }
    }
}
