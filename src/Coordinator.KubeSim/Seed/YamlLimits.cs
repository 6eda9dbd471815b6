using Coordinator.KubeSim.Api;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Coordinator.KubeSim.Seed;

/// <summary>
/// Bounds a YAML body on the parser's event stream before the representation model (recursive, and sharing one node
/// per anchor that conversion would copy per alias) is built: nesting, aliases, and nodes with aliases expanded, as
/// the apiserver's YAML decoder bounds them since CVE-2019-11253, with its messages.
/// </summary>
internal static class YamlLimits
{
    public const int MaxDepth = 64;
    public const int MaxAliases = 100;
    /// <summary>Nodes once aliases are expanded.</summary>
    public const int MaxNodes = 100_000;

    /// <exception cref="KubeApiException">400 when a bound is exceeded or the YAML is malformed.</exception>
    public static void Check(string yaml)
    {
        var expanded = new Dictionary<AnchorName, long>();
        var open = new Stack<(AnchorName Anchor, long NodesBefore)>();
        long nodes = 0;
        var aliases = 0;
        try
        {
            var parser = new Parser(new StringReader(yaml));
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case Scalar scalar:
                        nodes++;
                        if (!scalar.Anchor.IsEmpty) expanded[scalar.Anchor] = 1;
                        break;
                    case NodeEvent start and (MappingStart or SequenceStart):
                        if (open.Count >= MaxDepth) throw Refused($"exceeded max depth of {MaxDepth}");
                        open.Push((start.Anchor, nodes++));
                        break;
                    case MappingEnd or SequenceEnd:
                        var (anchor, before) = open.Pop();
                        if (!anchor.IsEmpty) expanded[anchor] = nodes - before;
                        break;
                    case AnchorAlias alias:
                        if (++aliases > MaxAliases) throw Refused("document contains excessive aliasing");
                        nodes += expanded.GetValueOrDefault(alias.Value, 1);
                        // Without aliases the 3 MiB body bounds the nodes; only expansion can multiply them.
                        if (nodes > MaxNodes) throw Refused("document contains excessive aliasing");
                        break;
                }
            }
        }
        catch (YamlException e)
        {
            throw Refused(e.Message);
        }
    }

    public static KubeApiException Refused(string detail) => KubeApiException.BadRequest($"error converting YAML to JSON: yaml: {detail}");
}
