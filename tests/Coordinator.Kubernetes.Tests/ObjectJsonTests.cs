using System.Text;
using System.Text.Json;
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

    [Theory]
    [InlineData("""{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"rs","namespace":"test","uid":"u","resourceVersion":"42","labels":{"name":"x"}},"spec":{}}""", "test", "rs", "42")]
    // Any order; fields of the same name elsewhere (the spec, labels, a string) are not metadata's own.
    [InlineData("""{"spec":{"metadata":{"name":"inner","namespace":"other"}},"note":"name","metadata":{"labels":{"namespace":"l"},"resourceVersion":"7","namespace":"test","name":"rs"}}""", "test", "rs", "7")]
    [InlineData("""{"metadata":{"name":"cluster-wide","resourceVersion":"3"}}""", null, "cluster-wide", "3")]
    [InlineData("""{"metadata":{"name":"rs","resourceVersion":7}}""", null, "rs", null)]
    [InlineData("""{"kind":"ReplicaSet"}""", null, null, null)]
    [InlineData("""{"metadata":null}""", null, null, null)]
    public void The_identity_is_read_from_metadata_only(string json, string? ns, string? name, string? version)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        Assert.Equal((ns, name, version), ObjectJson.Identity(reader));
        Assert.Equal(JsonTokenType.StartObject, reader.TokenType); // the caller's reader has not moved
    }
}
