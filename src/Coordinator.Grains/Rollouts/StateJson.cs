using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coordinator.Grains.Rollouts;

/// <summary>The JSON form in which Domain records are persisted and compared.</summary>
internal static class StateJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"stored {typeof(T).Name} is null");

    public static bool Equal<T>(T a, T b) =>
        (!typeof(T).IsValueType && ReferenceEquals(a, b)) || Coordinator.Domain.Hashing.JsonForm.AreEqual(a, b, Options);
}
