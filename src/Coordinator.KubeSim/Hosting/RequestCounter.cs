using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Coordinator.KubeSim.Hosting;

/// <summary>
/// How many API requests one simulated cluster has answered, by verb (get, list, watch, create, update, patch, delete)
/// and resource plural, and by namespace (none for a cluster-wide request such as a list across all namespaces), counted
/// as they arrive (before fault injection). Lets tests and benchmarks see what a client
/// costs the API server without instrumenting the client.
/// </summary>
public sealed class RequestCounter
{
    // A counter per (verb, resource), incremented in place: no allocation and no dictionary write per request.
    private readonly ConcurrentDictionary<(string Verb, string Resource, string Namespace), StrongBox<long>> _counts = new();
    private readonly ConcurrentDictionary<string, StrongBox<long>> _protocols = new(StringComparer.Ordinal);

    /// <summary>Requests with <paramref name="verb"/>, for <paramref name="resource"/> (a plural) or for any resource.</summary>
    public long Count(string verb, string? resource = null) => Sum(verb, resource, _ => true);

    /// <summary>Requests with <paramref name="verb"/> in namespace <paramref name="namespace"/> (a path under /namespaces/&lt;ns&gt;/).</summary>
    public long InNamespace(string verb, string @namespace, string? resource = null) => Sum(verb, resource, ns => ns == @namespace);

    /// <summary>Requests with <paramref name="verb"/> outside any namespace: cluster-scoped objects, or lists and watches across all namespaces.</summary>
    public long ClusterWide(string verb, string? resource = null) => Sum(verb, resource, ns => ns.Length == 0);

    /// <summary>Reads: get and list requests (watches are counted apart, as <c>watch</c>).</summary>
    public long Reads => Count("get") + Count("list");

    /// <summary>Requests of any kind (API, discovery, version) that came over <paramref name="protocol"/>: <c>HTTP/1.1</c> or <c>HTTP/2</c>.</summary>
    public long OverProtocol(string protocol) => _protocols.TryGetValue(protocol, out var count) ? Interlocked.Read(ref count.Value) : 0;

    internal void RecordProtocol(string protocol) =>
        Interlocked.Increment(ref _protocols.GetOrAdd(protocol, _ => new StrongBox<long>()).Value);

    internal void Record(string verb, string? resource, string? @namespace = null) =>
        Interlocked.Increment(ref _counts.GetOrAdd((verb, resource ?? "", @namespace ?? ""), _ => new StrongBox<long>()).Value);

    private long Sum(string verb, string? resource, Func<string, bool> inNamespace) =>
        _counts.Where(c => c.Key.Verb == verb && (resource is null || c.Key.Resource == resource) && inNamespace(c.Key.Namespace))
            .Sum(c => Interlocked.Read(ref c.Value.Value));
}
