using System.Text;
using Coordinator.Kubernetes.Json;

namespace Coordinator.Kubernetes.Tests;

/// <summary>A write's answer is matched to the watch cache by its resourceVersion, read without parsing the object.</summary>
public sealed class ObjectJsonTests
{
    [Theory]
    [InlineData("""{"kind":"ReplicaSet","apiVersion":"apps/v1","metadata":{"name":"rs","resourceVersion":"42","labels":{"a":"b"}},"spec":{}}""", "42")]
    // Whatever comes before it is skipped whole: nested objects, arrays, strings that look like the field.
    [InlineData("""{"spec":{"metadata":{"resourceVersion":"1"}},"items":[{"resourceVersion":"2"}],"note":"resourceVersion","metadata":{"annotations":{"resourceVersion":"3"},"resourceVersion":"7"}}""", "7")]
    [InlineData("""{"kind":"ConfigMap","metadata":{"name":"cm"}}""", null)]
    [InlineData("""{"kind":"ConfigMap"}""", null)]
    [InlineData("""{"metadata":{"resourceVersion":7}}""", null)]
    [InlineData("""{"metadata":null}""", null)]
    [InlineData("""[{"metadata":{"resourceVersion":"7"}}]""", null)]
    public void The_resource_version_is_read_from_metadata_only(string json, string? expected) =>
        Assert.Equal(expected, ObjectJson.ResourceVersion(Encoding.UTF8.GetBytes(json)));
}
