using System.Diagnostics.CodeAnalysis;
using Coordinator.Domain.Fleet;

namespace Coordinator.Grains.Fleet;

/// <summary>
/// The clusters' last reports without those of the clusters <paramref name="hidden"/> names, as a view: the fleet hides
/// the reports of clusters whose start is still on its way on almost every pass, and copying every report for that cost
/// a dictionary of the whole fleet per pass.
/// </summary>
internal sealed class ReportsWithout(IReadOnlyDictionary<string, ClusterProgress> reports, Predicate<string> hidden)
    : IReadOnlyDictionary<string, ClusterProgress>
{
    public ClusterProgress this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out ClusterProgress value)
    {
        value = null;
        return !hidden(key) && reports.TryGetValue(key, out value);
    }

    public IEnumerable<string> Keys => this.Select(p => p.Key);

    public IEnumerable<ClusterProgress> Values => this.Select(p => p.Value);

    public int Count => reports.Count(p => !hidden(p.Key));

    public IEnumerator<KeyValuePair<string, ClusterProgress>> GetEnumerator() => reports.Where(p => !hidden(p.Key)).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
