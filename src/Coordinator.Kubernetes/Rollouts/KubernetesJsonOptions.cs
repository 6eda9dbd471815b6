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

    private static JsonSerializerOptions Capture()
    {
        JsonSerializerOptions? options = null;
        KubernetesJson.AddJsonOptions(o => options = o);
        return options ?? throw new InvalidOperationException("KubernetesJson did not hand out its serializer options");
    }
}
