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

    /// <summary>
    /// Whether the two have the same JSON form. Equal records have it (their arrays compared by reference), and asking
    /// them first spares writing both as JSON, what the comparison costs otherwise: a reconcile asks this every pass.
    /// </summary>
    public static bool Equal<T>(T a, T b) =>
        EqualityComparer<T>.Default.Equals(a, b) || Coordinator.Domain.Hashing.JsonForm.AreEqual(a, b, Options);
}
