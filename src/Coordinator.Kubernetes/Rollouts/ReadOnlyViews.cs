namespace Coordinator.Kubernetes.Rollouts;

/// <summary>
/// Read-only views of a cached object's dictionaries, as they are: the watch cache never changes an object it holds (a
/// watch event or a write's answer replaces it), and the planner only reads. A copy per look was eight dictionaries per
/// Rollout kept until its next look (16 MiB at 10,000 Rollouts), besides the copying.
/// </summary>
internal static class ReadOnlyViews
{
    private static readonly Dictionary<string, string> NoEntries = new(StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, string> Of(IDictionary<string, string>? source) =>
        source switch
        {
            null => NoEntries,
            IReadOnlyDictionary<string, string> readOnly => readOnly,
            _ => new Dictionary<string, string>(source, StringComparer.Ordinal),
        };
}
