namespace Coordinator.KubeSim.Faults;

/// <summary>How an "unreachable" cluster behaves.</summary>
public enum UnreachableMode
{
    None,
    /// <summary>Abort the connection at once: the client sees a connection failure (HttpRequestException).</summary>
    Refuse,
    /// <summary>Never answer until the client gives up or the fault is cleared.</summary>
    Hang,
}

/// <summary>Standing faults of one cluster's Kubernetes API. Rates are probabilities in [0, 1] per request.</summary>
public sealed record FaultSettings
{
    public TimeSpan Latency { get; init; }
    /// <summary>Up to this much extra latency, uniformly drawn per request.</summary>
    public TimeSpan LatencyJitter { get; init; }
    public double ErrorRate500 { get; init; }
    public double ErrorRate503 { get; init; }
    public double ErrorRate429 { get; init; }
    public int RetryAfterSeconds { get; init; } = 1;
    /// <summary>Share of writes (POST/PUT/PATCH/DELETE) answered with 409 Conflict.</summary>
    public double ConflictRateOnWrites { get; init; }
    public UnreachableMode Unreachable { get; init; }
    /// <summary>Seed of the Random that draws the rates, reset whenever settings are applied, so runs repeat.</summary>
    public int Seed { get; init; }
    /// <summary>
    /// Container images (exact strings, as in the pod spec) whose pods never become Ready, as with a failing readiness
    /// probe: Running, Ready condition False, containerStatuses ready false. Applies to existing pods too; clearing it
    /// lets them become Ready. Does not touch API requests.
    /// </summary>
    public IReadOnlyList<string> UnhealthyImages { get; init; } = [];

    public static FaultSettings None { get; } = new();
}

/// <summary>
/// A one-shot (or N-shot) fault: the next <see cref="Count"/> requests matching verb + resource (+ namespace, name)
/// fail with <see cref="StatusCode"/>. Verb is a Kubernetes verb (get, list, watch, create, update, patch, delete)
/// or "*"; Resource is the plural (deployments, virtualservices) or "*"; null namespace/name match any.
/// </summary>
public sealed record ScriptedFault(string Verb, string Resource, string? Namespace, string? Name, int StatusCode, int Count = 1)
{
    internal bool Matches(string verb, string resource, string? ns, string? name) =>
        (Verb == "*" || string.Equals(Verb, verb, StringComparison.OrdinalIgnoreCase))
        && (Resource == "*" || string.Equals(Resource, resource, StringComparison.OrdinalIgnoreCase)
            || resource.Length > 0 && Resource.StartsWith(resource + ".", StringComparison.OrdinalIgnoreCase))
        && (Namespace == null || Namespace == ns)
        && (Name == null || Name == name);
}
