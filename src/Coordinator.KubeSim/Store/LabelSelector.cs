namespace Coordinator.KubeSim.Store;

/// <summary>A parsed label selector string: <c>=</c>, <c>==</c>, <c>!=</c>, <c>in</c>, <c>notin</c>, <c>key</c>, <c>!key</c>.</summary>
internal sealed class LabelSelector
{
    private enum Op { Equals, NotEquals, In, NotIn, Exists, NotExists }

    private readonly record struct Requirement(string Key, Op Op, string[] Values);

    private readonly Requirement[] _requirements;

    private LabelSelector(Requirement[] requirements) => _requirements = requirements;

    public static LabelSelector? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var list = new List<Requirement>();
        foreach (var part in SplitTopLevel(text))
        {
            var p = part.Trim();
            if (p.Length == 0) continue;
            list.Add(ParseRequirement(p));
        }
        return new LabelSelector(list.ToArray());
    }

    public bool Matches(IReadOnlyDictionary<string, string>? labels)
    {
        foreach (var r in _requirements)
        {
            string? value = null;
            var has = labels != null && labels.TryGetValue(r.Key, out value);
            var ok = r.Op switch
            {
                Op.Equals => has && value == r.Values[0],
                Op.NotEquals => !has || value != r.Values[0],
                Op.In => has && Array.IndexOf(r.Values, value) >= 0,
                Op.NotIn => !has || Array.IndexOf(r.Values, value) < 0,
                Op.Exists => has,
                _ => !has,
            };
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>Splits on commas that are not inside an <c>in (a,b)</c> value set.</summary>
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')') depth--;
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }

    private static Requirement ParseRequirement(string p)
    {
        if (p.StartsWith('!')) return new Requirement(ValidKey(p[1..].Trim(), p), Op.NotExists, []);
        var ne = p.IndexOf("!=", StringComparison.Ordinal);
        if (ne > 0) return new Requirement(ValidKey(p[..ne].Trim(), p), Op.NotEquals, [p[(ne + 2)..].Trim()]);
        var eq = p.IndexOf('=');
        if (eq > 0)
        {
            var valueStart = p.Length > eq + 1 && p[eq + 1] == '=' ? eq + 2 : eq + 1;
            return new Requirement(ValidKey(p[..eq].Trim(), p), Op.Equals, [p[valueStart..].Trim()]);
        }
        var paren = p.IndexOf('(');
        if (paren > 0 && p.EndsWith(')'))
        {
            var head = p[..paren].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (head.Length == 2 && head[1] is "in" or "notin" && head.Length == 2)
            {
                var values = p[(paren + 1)..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                return new Requirement(ValidKey(head[0], p), head[1] == "in" ? Op.In : Op.NotIn, values);
            }
        }
        if (p.IndexOfAny([' ', '(', ')']) < 0) return new Requirement(p, Op.Exists, []);
        throw Api.KubeApiException.BadRequest($"unable to parse requirement: {p}");
    }

    private static string ValidKey(string key, string requirement) =>
        key.Length == 0 || key.IndexOfAny([' ', '(', ')', '!', '=']) >= 0
            ? throw Api.KubeApiException.BadRequest($"unable to parse requirement: {requirement}")
            : key;
}
