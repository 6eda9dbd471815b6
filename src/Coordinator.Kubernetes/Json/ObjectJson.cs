using System.Text.Json;
using Coordinator.Domain.Text;

namespace Coordinator.Kubernetes.Json;

/// <summary>What can be read of a Kubernetes object's JSON without parsing all of it.</summary>
internal static class ObjectJson
{
    /// <summary>
    /// <c>metadata.resourceVersion</c>, read token by token up to it (the API server writes metadata right after kind), or
    /// null when the JSON has none.
    /// </summary>
    public static string? ResourceVersion(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || !EnterMetadata(ref reader)) return null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isVersion = reader.ValueTextEquals("resourceVersion"u8);
            reader.Read();
            if (isVersion) return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            reader.Skip();
        }
        return null;
    }

    /// <summary>
    /// <c>metadata.namespace</c>, <c>name</c> and <c>resourceVersion</c> of the object the reader is on (its opening brace),
    /// read token by token up to them; the reader is a copy, the caller's stays where it is. Null parts when absent.
    /// </summary>
    public static (string? Namespace, string? Name, string? ResourceVersion) Identity(Utf8JsonReader reader)
    {
        if (!EnterMetadata(ref reader)) return default;
        string? ns = null, name = null, version = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = reader.ValueTextEquals("namespace"u8) ? 0 : reader.ValueTextEquals("name"u8) ? 1 : reader.ValueTextEquals("resourceVersion"u8) ? 2 : -1;
            reader.Read();
            if (field < 0 || reader.TokenType != JsonTokenType.String)
            {
                reader.Skip();
                continue;
            }
            // Names repeat in every event of an object: shared; a version is new in each, and is not.
            if (field == 0) ns = SharedStrings.Get(ref reader);
            else if (field == 1) name = SharedStrings.Get(ref reader);
            else version = reader.GetString();
            if (ns is not null && name is not null && version is not null) break;
        }
        return (ns, name, version);
    }

    /// <summary>
    /// From the object's opening brace to its <c>metadata</c> object's opening brace, every property before it skipped
    /// whole; false when the JSON is not an object or has no object <c>metadata</c>.
    /// </summary>
    private static bool EnterMetadata(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject) return false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMetadata = reader.ValueTextEquals("metadata"u8);
            reader.Read();
            if (isMetadata) return reader.TokenType == JsonTokenType.StartObject;
            reader.Skip();
        }
        return false;
    }
}
