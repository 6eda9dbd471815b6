using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Coordinator.KubeSim.Hosting;

/// <summary>
/// How many API requests one simulated cluster has answered, by verb (get, list, watch, create, update, patch, delete)
/// and resource plural, counted as they arrive (before fault injection). Lets tests and benchmarks see what a client
/// costs the API server without instrumenting the client.
/// </summary>
public sealed class RequestCounter
{
    // A counter per (verb, resource), incremented in place: no allocation and no dictionary write per request.
    private readonly ConcurrentDictionary<(string Verb, string Resource), StrongBox<long>> _counts = new();

    /// <summary>Requests with <paramref name="verb"/>, for <paramref name="resource"/> (a plural) or for any resource.</summary>
    public long Count(string verb, string? resource = null) =>
        _counts.Where(c => c.Key.Verb == verb && (resource is null || c.Key.Resource == resource)).Sum(c => Interlocked.Read(ref c.Value.Value));

    /// <summary>Reads: get and list requests (watches are counted apart, as <c>watch</c>).</summary>
    public long Reads => Count("get") + Count("list");

    internal void Record(string verb, string? resource) =>
        Interlocked.Increment(ref _counts.GetOrAdd((verb, resource ?? ""), _ => new StrongBox<long>()).Value);
}
