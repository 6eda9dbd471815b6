using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Coordinator.Domain.Manifest;

/// <summary>
/// Converts one YAML document to a <see cref="JsonNode"/> the way Kubernetes does (sigs.k8s.io/yaml: YAML → JSON →
/// object): plain scalars become numbers, booleans or null when they look like one, quoted scalars stay strings.
/// Remembers the source line of every node so type errors can name it.
/// </summary>
internal static class YamlToJson
{
    public static (JsonNode? Root, Dictionary<JsonNode, int> Lines) Convert(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new ManifestException("", $"invalid YAML: {ex.Message}", (int)ex.Start.Line, ex);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner can fail this way on some malformed flow collections (no position available).
            throw new ManifestException("", $"invalid YAML: {ex.Message}", null, ex);
        }

        var documents = stream.Documents.Where(d => d.RootNode is not YamlScalarNode { Value: null or "" }).ToList();
        if (documents.Count == 0)
        {
            throw new ManifestException("", "the manifest is empty");
        }

        if (documents.Count > 1)
        {
            throw new ManifestException("", "expected exactly one YAML document (one Rollout)", (int)documents[1].RootNode.Start.Line);
        }

        var lines = new Dictionary<JsonNode, int>(ReferenceEqualityComparer.Instance);
        return (ToNode(documents[0].RootNode, lines), lines);
    }

    private static JsonNode? ToNode(YamlNode node, Dictionary<JsonNode, int> lines)
    {
        JsonNode? result = node switch
        {
            YamlMappingNode mapping => ToObject(mapping, lines),
            YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(c => ToNode(c, lines)).ToArray()),
            YamlScalarNode scalar => ToScalar(scalar),
            _ => null,
        };
        if (result is not null)
        {
            lines[result] = (int)node.Start.Line;
        }

        return result;
    }

    private static JsonObject ToObject(YamlMappingNode mapping, Dictionary<JsonNode, int> lines)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            var name = key is YamlScalarNode { Value: { } k } ? k : throw new ManifestException("", "mapping keys must be strings", (int)key.Start.Line);
            if (obj.ContainsKey(name))
            {
                throw new ManifestException(name, "duplicate key", (int)key.Start.Line);
            }

            obj[name] = ToNode(value, lines);
        }

        return obj;
    }

    private static JsonNode? ToScalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }

        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (value.Any(char.IsDigit)
            && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)
            && !double.IsNaN(real) && !double.IsInfinity(real))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(value);
    }
}
