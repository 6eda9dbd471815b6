using System.Text.Json.Nodes;

namespace Coordinator.KubeSim.Store;

/// <summary>
/// A field selector (<c>metadata.name=x</c>, <c>!=</c>). metadata.name/namespace are answered from the index;
/// other dotted paths (events' involvedObject.*, status.phase, ...) are looked up in the parsed object.
/// </summary>
internal sealed class FieldSelector
{
    private readonly record struct Term(string Path, bool Negated, string Value);

    private readonly Term[] _terms;
    private readonly bool _needsParse;

    private FieldSelector(Term[] terms)
    {
        _terms = terms;
        _needsParse = terms.Any(t => t.Path is not ("metadata.name" or "metadata.namespace"));
    }

    public static FieldSelector? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var terms = new List<Term>();
        foreach (var raw in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var ne = raw.IndexOf("!=", StringComparison.Ordinal);
            if (ne > 0)
            {
                terms.Add(new Term(raw[..ne], true, raw[(ne + 2)..]));
                continue;
            }
            var eq = raw.IndexOf('=');
            if (eq <= 0) throw Api.KubeApiException.BadRequest($"invalid selector: '{text}'; can't understand '{raw}'");
            var valueStart = raw.Length > eq + 1 && raw[eq + 1] == '=' ? eq + 2 : eq + 1;
            terms.Add(new Term(raw[..eq], false, raw[valueStart..]));
        }
        return new FieldSelector(terms.ToArray());
    }

    public bool Matches(StoredObject obj)
    {
        JsonNode? parsed = _needsParse ? JsonNode.Parse(obj.Json) : null;
        foreach (var t in _terms)
        {
            var actual = t.Path switch
            {
                "metadata.name" => obj.Name,
                "metadata.namespace" => obj.Namespace,
                _ => Lookup(parsed, t.Path) ?? "",
            };
            if ((actual == t.Value) == t.Negated) return false;
        }
        return true;
    }

    private static string? Lookup(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }
        return node is JsonValue v ? v.ToString() : null;
    }
}
