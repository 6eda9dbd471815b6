using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Domain.State;

namespace Coordinator.Domain.Manifest;

/// <summary>Typed, path-aware reads from a JSON tree; every type error names the field (and line, for YAML).</summary>
internal sealed class NodeReader(IReadOnlyDictionary<JsonNode, int> lines)
{
    public JsonObject? Object(JsonObject parent, string key, string path)
    {
        var node = parent[key];
        return node switch
        {
            null => null,
            JsonObject obj => obj,
            _ => throw Error(node, Child(path, key), "expected an object"),
        };
    }

    public JsonArray? Array(JsonObject parent, string key, string path)
    {
        var node = parent[key];
        return node switch
        {
            null => null,
            JsonArray array => array,
            _ => throw Error(node, Child(path, key), "expected a list"),
        };
    }

    public string? String(JsonObject parent, string key, string path)
    {
        var node = parent[key];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            return value.GetValue<string>();
        }

        throw Error(node, Child(path, key), "expected a string");
    }

    public int? Int(JsonObject parent, string key, string path)
    {
        var node = parent[key];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            && decimal.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number)
            && number == decimal.Truncate(number) && number is >= int.MinValue and <= int.MaxValue)
        {
            return (int)number;
        }

        throw Error(node, Child(path, key), "expected an integer");
    }

    public bool? Bool(JsonObject parent, string key, string path)
    {
        var node = parent[key];
        return node switch
        {
            null => null,
            JsonValue v when v.GetValueKind() is JsonValueKind.True => true,
            JsonValue v when v.GetValueKind() is JsonValueKind.False => false,
            _ => throw Error(node, Child(path, key), "expected a boolean"),
        };
    }

    public IntOrString? IntOrString(JsonObject parent, string key, string path)
    {
        var node = parent[key];
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            return State.IntOrString.FromString(value.GetValue<string>());
        }

        return Int(parent, key, path) is { } number ? State.IntOrString.FromInt(number) : null;
    }

    public ImmutableDictionary<string, string> StringMap(JsonObject parent, string key, string path)
    {
        var obj = Object(parent, key, path);
        if (obj is null)
        {
            return ImmutableDictionary<string, string>.Empty;
        }

        var builder = ImmutableDictionary.CreateBuilder<string, string>();
        foreach (var (name, _) in obj)
        {
            builder[name] = String(obj, name, Child(path, key)) ?? "";
        }

        return builder.ToImmutable();
    }

    public ImmutableArray<string> StringList(JsonObject parent, string key, string path)
    {
        var array = Array(parent, key, path);
        if (array is null)
        {
            return [];
        }

        var result = ImmutableArray.CreateBuilder<string>();
        for (var i = 0; i < array.Count; i++)
        {
            result.Add(array[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String
                ? v.GetValue<string>()
                : throw Error(array[i] ?? array, $"{Child(path, key)}[{i}]", "expected a string"));
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// Refuses a field the Rollout v1alpha1 schema does not have, as <c>kubectl apply --validate=strict</c> does
    /// (<c>unknown field "spec.strategy.canary.foo"</c>), instead of dropping it silently.
    /// </summary>
    public void RejectUnknown(JsonObject obj, string path, IReadOnlySet<string> known)
    {
        foreach (var (key, value) in obj)
        {
            if (!known.Contains(key))
            {
                var field = Child(path, key);
                throw Error(value ?? obj, field, $"unknown field \"{field}\"");
            }
        }
    }

    public ManifestException Error(JsonNode? node, string path, string detail) =>
        new(path, detail, node is not null && lines.TryGetValue(node, out var line) ? line : null);

    public static string Child(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
