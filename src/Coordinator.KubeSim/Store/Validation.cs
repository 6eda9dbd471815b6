using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Coordinator.KubeSim.Api;

namespace Coordinator.KubeSim.Store;

/// <summary>
/// The subset of apiserver validation that clients are likely to trip over, with the apiserver's messages. For
/// Deployments, ReplicaSets, Pods and Services it must look only at the name and the spec: the store skips it on updates
/// that leave the spec exactly as stored (ObjectStore.SpecOnlyAdmission).
/// </summary>
internal static partial class Validation
{
    private const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    public static void Validate(ResourceType t, string name, JsonObject obj)
    {
        if (t.Group == "rbac.authorization.k8s.io")
        {
            // RBAC names are path segments ("system:discovery" is valid).
            if (name is "." or ".." || name.Contains('/') || name.Contains('%'))
                throw KubeApiException.Invalid(t, name, "metadata.name", $"Invalid value: \"{name}\": may not be '.' or '..' and may not contain '/' or '%'");
        }
        else if (t == ResourceCatalog.Namespaces || t == ResourceCatalog.Services)
        {
            if (name.Length > 63 || !Label().IsMatch(name))
                throw KubeApiException.Invalid(t, name, "metadata.name", $"Invalid value: \"{name}\": {LabelMessage}");
        }
        else if (name.Length > 253 || !Subdomain().IsMatch(name))
        {
            throw KubeApiException.Invalid(t, name, "metadata.name", $"Invalid value: \"{name}\": {SubdomainMessage}");
        }

        if (t == ResourceCatalog.Deployments || t == ResourceCatalog.ReplicaSets) ValidateWorkload(t, name, obj);
        if (t == ResourceCatalog.Pods && JsonFields.Arr(obj, "spec", "containers") is not { Count: > 0 })
            throw KubeApiException.Invalid(t, name, "spec.containers", "Required value");
    }

    private static void ValidateWorkload(ResourceType t, string name, JsonObject obj)
    {
        var selector = JsonFields.Obj(obj, "spec", "selector");
        if (selector == null || (selector["matchLabels"] is not JsonObject { Count: > 0 } && selector["matchExpressions"] is not JsonArray { Count: > 0 }))
            throw KubeApiException.Invalid(t, name, "spec.selector", "Required value");
        var labels = JsonFields.StringMap(JsonFields.Obj(obj, "spec", "template", "metadata")?["labels"]);
        var parsed = SelectorJson.Parse(selector, out _);
        if (parsed != null && !parsed.Matches(labels))
            throw KubeApiException.Invalid(t, name, "spec.template.metadata.labels",
                $"Invalid value: {GoMap(labels)}: `selector` does not match template `labels`");
        if (JsonFields.Arr(obj, "spec", "template", "spec", "containers") is not { Count: > 0 })
            throw KubeApiException.Invalid(t, name, "spec.template.spec.containers", "Required value");
        if (JsonFields.Long(obj["spec"], "replicas") is < 0)
            throw KubeApiException.Invalid(t, name, "spec.replicas", "Invalid value: must be greater than or equal to 0");
    }

    /// <summary>Go's %#v of a map[string]string, as the apiserver prints it.</summary>
    private static string GoMap(Dictionary<string, string>? map)
    {
        var sb = new StringBuilder("map[string]string{");
        var first = true;
        foreach (var key in (map?.Keys ?? Enumerable.Empty<string>()).Order(StringComparer.Ordinal))
        {
            if (!first) sb.Append(", ");
            first = false;
            sb.Append('"').Append(key).Append("\":\"").Append(map![key]).Append('"');
        }
        return sb.Append('}').ToString();
    }
}
