using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.Domain.Manifest;

/// <summary>
/// A JSON manifest read with System.Text.Json under an explicit nesting bound. A first pass over the tokens (the
/// reader is iterative) finds a too-deep container and names its line, which the tree parser's own depth error
/// cannot; only then is the tree built, with the same bound as a backstop.
/// </summary>
internal static class JsonInput
{
    public static JsonNode? Parse(string text, ManifestLimits limits)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        CheckDepth(utf8, limits);
        try
        {
            return JsonNode.Parse(utf8, documentOptions: new JsonDocumentOptions { MaxDepth = limits.MaxNestingDepth });
        }
        catch (JsonException ex)
        {
            throw new ManifestException("", $"invalid JSON: {ex.Message}", (int?)ex.LineNumber + 1, ex);
        }
    }

    private static void CheckDepth(ReadOnlySpan<byte> utf8, ManifestLimits limits)
    {
        // One level more than the bound, so this reader reaches the offending token before refusing it itself.
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = limits.MaxNestingDepth + 1 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= limits.MaxNestingDepth)
                {
                    var line = utf8[..(int)reader.TokenStartIndex].Count((byte)'\n') + 1;
                    throw ManifestException.LimitExceeded(nameof(ManifestLimits.MaxNestingDepth), $"nesting deeper than {limits.MaxNestingDepth} levels", line);
                }
            }
        }
        catch (JsonException)
        {
            // Malformed: the tree parser reports it with its position.
        }
    }
}
