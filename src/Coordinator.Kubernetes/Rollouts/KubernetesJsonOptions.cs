using System.Text.Json;
using k8s;

namespace Coordinator.Kubernetes.Rollouts;

/// <summary>
/// KubernetesClient's serializer options (its models' resolver, camelCase, its date and enum converters), for the
/// <see cref="JsonSerializer"/> calls that its string-only <c>KubernetesJson.Serialize</c> does not offer. The library
/// hands them out only to be configured; they are read here, never changed.
/// </summary>
internal static class KubernetesJsonOptions
{
    public static JsonSerializerOptions Options { get; } = Capture();

    /// <summary>
    /// The same, reading strings through <see cref="Coordinator.Domain.Text.SharedStrings"/>: for what the watch caches keep, so that a
    /// thousand cached ReplicaSets share one instance of each label, name and image.
    /// </summary>
    public static JsonSerializerOptions SharedStrings { get; } = new(Options) { Converters = { new Json.SharedStringConverter() } };

    private static int _responsesShareStrings;

    /// <summary>
    /// Makes KubernetesClient read its answers through <see cref="Coordinator.Domain.Text.SharedStrings"/> too: the objects a write
    /// returns go into the watch caches as well. Its options take a converter only before their first use (then they
    /// are read-only); a process that used them earlier keeps its answers' own strings, which only costs memory.
    /// </summary>
    public static void ShareStringsInResponses()
    {
        if (Interlocked.Exchange(ref _responsesShareStrings, 1) == 1) return;
        try
        {
            KubernetesJson.AddJsonOptions(o =>
            {
                if (!o.Converters.OfType<Json.SharedStringConverter>().Any()) o.Converters.Add(new Json.SharedStringConverter());
            });
        }
        catch (InvalidOperationException)
        {
            // Already in use: see above.
        }
    }

    private static JsonSerializerOptions Capture()
    {
        JsonSerializerOptions? options = null;
        KubernetesJson.AddJsonOptions(o => options = o);
        return options ?? throw new InvalidOperationException("KubernetesJson did not hand out its serializer options");
    }
}
