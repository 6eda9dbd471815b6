using System.Text.Json;

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
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMetadata = reader.ValueTextEquals("metadata"u8);
            reader.Read();
            if (!isMetadata)
            {
                reader.Skip();
                continue;
            }
            if (reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isVersion = reader.ValueTextEquals("resourceVersion"u8);
                reader.Read();
                if (isVersion) return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            return null;
        }
        return null;
    }
}
