using System.Text.Json;
using System.Text.Json.Serialization;
using Coordinator.Domain.Text;

namespace Coordinator.Kubernetes.Json;

/// <summary>Reads every string value and dictionary key through <see cref="SharedStrings"/>; writes as the default does.</summary>
internal sealed class SharedStringConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String ? SharedStrings.Get(ref reader) : reader.GetString();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        SharedStrings.Get(ref reader);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WritePropertyName(value);
}
