using System.Text.Json.Nodes;

namespace Coordinator.KubeSim.Api;

/// <summary>An API error, rendered as a Kubernetes <c>Status</c> object with the same reason/code/message as the apiserver.</summary>
public sealed class KubeApiException(int code, string reason, string message, string? name = null, string? group = null, string? kind = null)
    : Exception(message)
{
    public int Code { get; } = code;
    public string Reason { get; } = reason;
    public string? DetailName { get; } = name;
    public string? DetailGroup { get; } = group;
    public string? DetailKind { get; } = kind;
    public int? RetryAfterSeconds { get; init; }

    internal static KubeApiException NotFound(ResourceType t, string name) =>
        new(404, "NotFound", $"{t.GroupResource} \"{name}\" not found", name, t.Group, t.Plural);

    internal static KubeApiException AlreadyExists(ResourceType t, string name) =>
        new(409, "AlreadyExists", $"{t.GroupResource} \"{name}\" already exists", name, t.Group, t.Plural);

    internal static KubeApiException Conflict(ResourceType t, string name) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {t.GroupResource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            name, t.Group, t.Plural);

    internal static KubeApiException Invalid(ResourceType t, string name, string field, string detail) =>
        new(422, "Invalid", $"{t.GroupKind} \"{name}\" is invalid: {field}: {detail}", name, t.Group, t.Kind);

    internal static KubeApiException BadRequest(string message) => new(400, "BadRequest", message);

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Failure",
            ["message"] = Message, ["reason"] = Reason,
        };
        if (DetailName != null || DetailKind != null)
        {
            var details = new JsonObject();
            if (DetailName != null) details["name"] = DetailName;
            if (!string.IsNullOrEmpty(DetailGroup)) details["group"] = DetailGroup;
            if (DetailKind != null) details["kind"] = DetailKind;
            if (RetryAfterSeconds is int s) details["retryAfterSeconds"] = s;
            status["details"] = details;
        }
        status["code"] = Code;
        return status;
    }
}
