namespace Coordinator.Kubernetes.Watching;

/// <summary>
/// The latest known version of every object of one kind in one cluster, by namespace and name: what a client-go
/// informer's store holds. Fed by a list, then by watch events, and by the coordinator's own acknowledged writes
/// (so that the next look sees them before their watch event arrives). A version never replaces a newer one:
/// Kubernetes resourceVersions are opaque, but etcd's are increasing integers, and client-go's mutation cache
/// compares them the same way; a version that is not an integer is taken as newer.
/// Plain dictionaries under one lock rather than concurrent ones: a cluster holds five of these, each with a dictionary
/// per namespace, and a small ConcurrentDictionary costs ~0.5 KB (its 31-bucket array alone is 0.3 KB: 2.6 MB per kind
/// at 10,000 idle clusters) against ~0.2 KB; the lock is held for a lookup or a copy only.
/// </summary>
internal sealed class ObjectCache<T>(Func<T, string?> resourceVersionOf) where T : class
{
    private readonly Dictionary<string, Dictionary<string, T>> _byNamespace = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public T? Get(string @namespace, string name)
    {
        lock (_gate) return _byNamespace.TryGetValue(@namespace, out var objects) && objects.TryGetValue(name, out var obj) ? obj : null;
    }

    /// <summary>The object held, if it is at <paramref name="resourceVersion"/> exactly.</summary>
    public T? At(string @namespace, string name, string? resourceVersion) =>
        resourceVersion is not null && Get(@namespace, name) is { } held && resourceVersionOf(held) == resourceVersion ? held : null;

    /// <summary>A point-in-time copy of the objects of one namespace.</summary>
    public IReadOnlyList<T> InNamespace(string @namespace)
    {
        lock (_gate) return _byNamespace.TryGetValue(@namespace, out var objects) ? [.. objects.Values] : [];
    }

    /// <summary>Stores <paramref name="obj"/> unless the cache already holds a newer version of it.</summary>
    public void Upsert(string @namespace, string name, T obj)
    {
        lock (_gate)
        {
            var objects = Namespace(@namespace);
            if (objects.TryGetValue(name, out var current) && IsNewer(resourceVersionOf(current), resourceVersionOf(obj))) return;
            objects[name] = obj;
        }
    }

    /// <summary>Forgets the object, unless the cache holds a version newer than the deletion's (it was created again).</summary>
    public void Remove(string @namespace, string name, string? resourceVersion)
    {
        lock (_gate)
        {
            if (!_byNamespace.TryGetValue(@namespace, out var objects) || !objects.TryGetValue(name, out var current)) return;
            if (resourceVersion is not null && IsNewer(resourceVersionOf(current), resourceVersion)) return;
            objects.Remove(name);
        }
    }

    /// <summary>Replaces everything with a fresh list (after a re-list, objects deleted meanwhile must disappear too).</summary>
    public void ReplaceAll(IEnumerable<(string Namespace, string Name, T Object)> objects, string? listResourceVersion) =>
        Replace(null, objects, listResourceVersion);

    /// <summary>
    /// Replaces what the cache holds of <paramref name="namespace"/> (every namespace when null) with a fresh list taken
    /// at <paramref name="listResourceVersion"/>; a namespaced informer re-lists its own namespace only and must leave the
    /// others' objects alone. A version newer than the list is kept: an acknowledged write of ours that landed while the
    /// list was on its way would otherwise go back to its older version until the watch delivers it again, and the looks
    /// meanwhile would decide on that version (their writes refused with 409 until the watch catches up).
    /// </summary>
    public void Replace(string? @namespace, IEnumerable<(string Namespace, string Name, T Object)> objects, string? listResourceVersion)
    {
        lock (_gate)
        {
            var newer = new List<(string Namespace, string Name, T Object)>();
            foreach (var (ns, held) in _byNamespace)
            {
                if (@namespace is not null && ns != @namespace) continue;
                foreach (var (name, obj) in held)
                    if (IsNewer(resourceVersionOf(obj), listResourceVersion)) newer.Add((ns, name, obj));
            }
            if (@namespace is null) _byNamespace.Clear();
            else _byNamespace.Remove(@namespace);
            foreach (var (ns, name, obj) in objects) Namespace(ns)[name] = obj;
            foreach (var (ns, name, obj) in newer)
            {
                var listed = Namespace(ns);
                if (!listed.TryGetValue(name, out var fromList) || IsNewer(resourceVersionOf(obj), resourceVersionOf(fromList))) listed[name] = obj;
            }
        }
    }

    /// <summary>The objects of one namespace (created empty); call under the lock.</summary>
    private Dictionary<string, T> Namespace(string @namespace)
    {
        if (!_byNamespace.TryGetValue(@namespace, out var objects))
            _byNamespace[@namespace] = objects = new Dictionary<string, T>(StringComparer.Ordinal);
        return objects;
    }

    /// <summary>Whether <paramref name="held"/> is strictly newer than <paramref name="incoming"/>.</summary>
    private static bool IsNewer(string? held, string? incoming) =>
        ulong.TryParse(held, out var a) && ulong.TryParse(incoming, out var b) && a > b;
}
