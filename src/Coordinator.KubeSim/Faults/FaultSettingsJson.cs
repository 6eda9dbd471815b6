using System.Text.Json.Nodes;
using Coordinator.KubeSim.Store;

namespace Coordinator.KubeSim.Faults;

/// <summary>
/// The admin endpoint's JSON form of a cluster's faults:
/// <c>{"latencyMs":100,"jitterMs":0,"errorRate500":0,"errorRate503":0,"errorRate429":0,"retryAfterSeconds":1,
/// "conflictRate":0,"unreachable":"none|refuse|hang","seed":0,"forSeconds":20,"unhealthyImages":["argoproj/rollouts-demo:red"],"scripted":[{"verb":"patch","resource":"deployments",
/// "namespace":"test","name":"rollouts-demo","statusCode":409,"count":1}]}</c>.
/// </summary>
internal static class FaultSettingsJson
{
    public static JsonObject Write(ClusterFaults faults)
    {
        var s = faults.Settings;
        var scripted = new JsonArray();
        foreach (var f in faults.Scripted)
        {
            scripted.Add(new JsonObject
            {
                ["verb"] = f.Verb, ["resource"] = f.Resource, ["namespace"] = f.Namespace, ["name"] = f.Name,
                ["statusCode"] = f.StatusCode, ["count"] = f.Count,
            });
        }
        return new JsonObject
        {
            ["latencyMs"] = s.Latency.TotalMilliseconds, ["jitterMs"] = s.LatencyJitter.TotalMilliseconds,
            ["errorRate500"] = s.ErrorRate500, ["errorRate503"] = s.ErrorRate503, ["errorRate429"] = s.ErrorRate429,
            ["retryAfterSeconds"] = s.RetryAfterSeconds, ["conflictRate"] = s.ConflictRateOnWrites,
            ["unreachable"] = s.Unreachable.ToString().ToLowerInvariant(), ["seed"] = s.Seed,
            ["unhealthyImages"] = new JsonArray([.. s.UnhealthyImages.Select(i => (JsonNode?)JsonValue.Create(i))]), ["scripted"] = scripted,
        };
    }

    private static List<string> Images(JsonObject body) => body["unhealthyImages"] switch
    {
        null => [],
        JsonArray images => [.. images.Select(i => i is JsonValue v && v.TryGetValue<string>(out var image) && image.Length > 0
            ? image
            : throw new ArgumentException("unhealthyImages must be an array of non-empty image strings"))],
        _ => throw new ArgumentException("unhealthyImages must be an array of image strings"),
    };

    /// <summary>Applies a PUT body: standing settings are replaced; scripted faults in the body are added.</summary>
    public static void Apply(ClusterFaults faults, JsonObject body)
    {
        double D(string key) => body[key] is JsonValue v && v.TryGetValue<double>(out var d) ? d : JsonFields.Long(body, key) ?? 0;
        var unreachable = JsonFields.Str(body, "unreachable") ?? "none";
        var settings = new FaultSettings
        {
            Latency = TimeSpan.FromMilliseconds(D("latencyMs")),
            LatencyJitter = TimeSpan.FromMilliseconds(D("jitterMs")),
            ErrorRate500 = D("errorRate500"), ErrorRate503 = D("errorRate503"), ErrorRate429 = D("errorRate429"),
            RetryAfterSeconds = (int)(JsonFields.Long(body, "retryAfterSeconds") ?? 1),
            ConflictRateOnWrites = D("conflictRate"),
            Unreachable = Enum.TryParse<UnreachableMode>(unreachable, ignoreCase: true, out var mode)
                ? mode
                : throw new ArgumentException($"unreachable must be none, refuse or hang, not '{unreachable}'"),
            Seed = (int)(JsonFields.Long(body, "seed") ?? 0),
            UnhealthyImages = Images(body),
        };
        // forSeconds: the standing faults lift by themselves after that long (an outage of a known length).
        var forSeconds = D("forSeconds");
        if (forSeconds < 0) throw new ArgumentException($"forSeconds must not be negative, not {forSeconds}");
        if (forSeconds > 0) faults.SetFor(settings, TimeSpan.FromSeconds(forSeconds));
        else faults.Set(settings);
        if (body["scripted"] is JsonArray scripted)
        {
            foreach (var f in scripted.OfType<JsonObject>())
            {
                faults.AddScripted(new ScriptedFault(
                    JsonFields.Str(f, "verb") ?? "*", JsonFields.Str(f, "resource") ?? "*", JsonFields.Str(f, "namespace"), JsonFields.Str(f, "name"),
                    (int)(JsonFields.Long(f, "statusCode") ?? 500), (int)(JsonFields.Long(f, "count") ?? 1)));
            }
        }
    }
}
