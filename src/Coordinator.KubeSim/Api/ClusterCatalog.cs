namespace Coordinator.KubeSim.Api;

/// <summary>
/// The resources one cluster serves: the built-in ones plus those its Established CustomResourceDefinitions define
/// (like the apiserver's REST storage map joined with the apiextensions server's). Reads take a snapshot array, so
/// they need no lock; changes (CRD created, updated, deleted) swap it under the store's lock.
/// </summary>
internal sealed class ClusterCatalog
{
    private volatile ResourceType[] _all = ResourceCatalog.All;

    public IReadOnlyList<ResourceType> All => _all;

    /// <summary>API groups in discovery order; "" is the legacy core group, built-in groups first, then CRD groups in creation order.</summary>
    public IEnumerable<string> Groups => _all.Select(t => t.Group).Distinct();

    public IEnumerable<ResourceType> InGroupVersion(string group, string version) =>
        _all.Where(t => t.Group == group && Array.IndexOf(t.Versions, version) >= 0);

    /// <summary>The group's served versions, the first type's preferred version first.</summary>
    public string[] VersionsOf(string group) => _all.Where(t => t.Group == group).SelectMany(t => t.Versions).Distinct().ToArray();

    public ResourceType? FindByPlural(string group, string version, string plural) =>
        _all.FirstOrDefault(t => t.Plural == plural && t.Group == group && Array.IndexOf(t.Versions, version) >= 0);

    /// <summary>What an ownerReference's apiVersion and kind resolve to (the REST mapping), or null when nothing serves it.</summary>
    public ResourceType? FindByKind(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/');
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        return _all.FirstOrDefault(t => t.Kind == kind && t.Group == group && Array.IndexOf(t.Versions, version) >= 0);
    }

    public ResourceType? FindByGroupResource(string group, string plural) => _all.FirstOrDefault(t => t.Group == group && t.Plural == plural);

    /// <summary>Resolves what a C# caller names a resource: plural, singular, kind, short name, optionally ".group".</summary>
    public ResourceType Resolve(string name)
    {
        foreach (var t in _all)
        {
            if (Matches(t, name) || (t.Group.Length > 0 && name.EndsWith("." + t.Group, StringComparison.Ordinal)
                    && Matches(t, name[..^(t.Group.Length + 1)])))
            {
                return t;
            }
        }
        throw new ArgumentException($"KubeSim does not serve a resource named '{name}'", nameof(name));
    }

    /// <summary>Serves a custom resource, or updates the served one in place (its stored objects keep pointing at it).</summary>
    public void AddOrUpdate(ResourceType defined)
    {
        var existing = FindByGroupResource(defined.Group, defined.Plural);
        if (existing == null)
        {
            _all = [.. _all, defined];
            return;
        }
        if (!existing.IsDefinedByCrd) return; // a CRD may not shadow a built-in resource
        existing.UpdateFrom(defined);
    }

    public void Remove(ResourceType t) => _all = _all.Where(x => x != t).ToArray();

    private static bool Matches(ResourceType t, string n) =>
        string.Equals(t.Plural, n, StringComparison.OrdinalIgnoreCase) || string.Equals(t.Singular, n, StringComparison.OrdinalIgnoreCase)
        || string.Equals(t.Kind, n, StringComparison.OrdinalIgnoreCase) || t.ShortNames.Contains(n, StringComparer.OrdinalIgnoreCase);
}
