using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Coordinator.Domain.Manifest;

/// <summary>
/// Converts one YAML document to a <see cref="JsonNode"/> the way Kubernetes does (sigs.k8s.io/yaml: YAML → JSON →
/// object): plain scalars become numbers, booleans or null when they look like one, quoted scalars stay strings.
/// Remembers the source line of every node so type errors can name it.
/// <para>
/// Built from the parser's event stream with an explicit stack, never by recursion, and every event is charged to a
/// <see cref="YamlBudget"/> before its node exists: a hostile document (nested a million deep, or aliases that expand
/// to billions of nodes) is refused after at most the bounded work, never by exhausting the stack or the heap.
/// </para>
/// </summary>
internal sealed class YamlToJson
{
    private readonly Dictionary<JsonNode, int> _lines = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<AnchorName, Anchored> _anchors = [];
    private readonly Stack<Open> _open = new();
    private readonly YamlBudget _budget;

    private YamlToJson(ManifestLimits limits) => _budget = new YamlBudget(limits);

    public static (JsonNode? Root, Dictionary<JsonNode, int> Lines) Convert(string text, ManifestLimits limits)
    {
        var converter = new YamlToJson(limits);
        try
        {
            return (converter.ReadSingleDocument(new Parser(new StringReader(text))), converter._lines);
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
    }

    private JsonNode? ReadSingleDocument(IParser parser)
    {
        parser.Consume<StreamStart>();
        (JsonNode? Node, bool Found) root = default;
        while (parser.TryConsume<DocumentStart>(out _))
        {
            _anchors.Clear(); // anchors are local to their document
            var start = parser.Current!.Start;
            var (node, empty) = ReadNode(parser);
            parser.Consume<DocumentEnd>();
            if (empty) continue;
            if (root.Found)
                throw new ManifestException("", "expected exactly one YAML document (one object)", (int)start.Line);
            root = (node, true);
        }
        parser.Consume<StreamEnd>();
        return root.Found ? root.Node : throw new ManifestException("", "the manifest is empty");
    }

    /// <summary>Reads one complete node (a scalar, an alias, or a whole collection); Empty when it is an empty scalar.</summary>
    private (JsonNode? Node, bool Empty) ReadNode(IParser parser)
    {
        while (true)
        {
            var ev = parser.Consume<ParsingEvent>();
            Built built;
            switch (ev)
            {
                case Scalar scalar:
                    _budget.Add(1, scalar.Start);
                    built = new Built(ToScalar(scalar), scalar.Value, 1, 0, scalar.Start);
                    Remember(scalar.Anchor, built.ToAnchored());
                    if (TakeKey(scalar.Value, scalar)) continue;
                    break;
                case AnchorAlias alias:
                    var anchored = _anchors.TryGetValue(alias.Value, out var a)
                        ? a
                        : throw new ManifestException("", $"invalid YAML: alias *{alias.Value} refers to no anchor before it", (int)alias.Start.Line);
                    _budget.Alias(_open.Count, anchored.Nodes, anchored.Height, alias.Start);
                    if (anchored.Text is null) EnsureNotAKey(alias);
                    else if (TakeKey(anchored.Text, alias)) continue;
                    built = new Built(anchored.Value?.DeepClone(), anchored.Text, anchored.Nodes, anchored.Height, alias.Start);
                    break;
                case MappingStart or SequenceStart:
                    var start = (NodeEvent)ev;
                    EnsureNotAKey(start);
                    _budget.Open(_open.Count + 1, start.Start);
                    _open.Push(new Open(ev is MappingStart ? new JsonObject() : new JsonArray(), start.Anchor, start.Start, _budget.Nodes - 1));
                    continue;
                case MappingEnd or SequenceEnd:
                    var done = _open.Pop();
                    built = new Built(done.Container, null, _budget.Nodes - done.NodesBefore, done.Height + 1, done.Start);
                    Remember(done.Anchor, built.ToAnchored());
                    break;
                default:
                    throw new ManifestException("", $"invalid YAML: unexpected {ev.GetType().Name}", (int)ev.Start.Line);
            }

            Track(built);
            // An empty document ("---" alone) reads as an empty plain scalar.
            if (_open.Count == 0) return (built.Node, ev is Scalar { Value.Length: 0 });
            AddToParent(built);
        }
    }

    /// <summary>When the innermost open collection is a mapping waiting for a key, <paramref name="text"/> is that key.</summary>
    private bool TakeKey(string text, ParsingEvent at)
    {
        if (!_open.TryPeek(out var parent) || parent.Container is not JsonObject obj || parent.Key is not null) return false;
        if (obj.ContainsKey(text)) throw new ManifestException(text, "duplicate key", (int)at.Start.Line);
        parent.Key = text;
        return true;
    }

    private void EnsureNotAKey(ParsingEvent ev)
    {
        if (_open.TryPeek(out var parent) && parent.Container is JsonObject && parent.Key is null)
            throw new ManifestException("", "mapping keys must be strings", (int)ev.Start.Line);
    }

    private void AddToParent(Built child)
    {
        var parent = _open.Peek();
        parent.Height = Math.Max(parent.Height, child.Height);
        if (parent.Container is JsonArray array)
        {
            array.Add(child.Node);
            return;
        }
        ((JsonObject)parent.Container)[parent.Key!] = child.Node;
        parent.Key = null;
    }

    private JsonNode? Track(Built built)
    {
        if (built.Node is not null) _lines[built.Node] = (int)built.Start.Line;
        return built.Node;
    }

    private void Remember(AnchorName anchor, Anchored anchored)
    {
        if (!anchor.IsEmpty) _anchors[anchor] = anchored;
    }

    private static JsonNode? ToScalar(Scalar scalar)
    {
        var value = scalar.Value;
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

    /// <summary>A collection being read: its node, the key waiting for a value (mappings), and what it has cost.</summary>
    private sealed class Open(JsonNode container, AnchorName anchor, Mark start, int nodesBefore)
    {
        public JsonNode Container { get; } = container;
        public AnchorName Anchor { get; } = anchor;
        public Mark Start { get; } = start;
        public int NodesBefore { get; } = nodesBefore;
        public string? Key { get; set; }
        public int Height { get; set; }
    }

    /// <summary>A finished node, its scalar text (for alias keys), the nodes it counts for and how deep it nests.</summary>
    private readonly record struct Built(JsonNode? Node, string? Text, int Nodes, int Height, Mark Start)
    {
        public Anchored ToAnchored() => new(Node, Text, Nodes, Height);
    }

    /// <summary>What an alias of this anchor stands for; a copy of <see cref="Value"/> is inserted per alias.</summary>
    private sealed record Anchored(JsonNode? Value, string? Text, int Nodes, int Height);
}
