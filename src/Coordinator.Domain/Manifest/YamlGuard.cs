using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Coordinator.Domain.Manifest;

/// <summary>
/// Checks YAML that another library will deserialize (a kubeconfig, read by KubernetesClient) against the nesting and
/// alias limits, on the parser's events, so that library's recursive deserializer never sees a hostile shape. Node
/// counts are not checked: a typed deserializer shares an anchored object instead of copying it per alias, and the
/// caller bounds the text's size.
/// </summary>
public static class YamlGuard
{
    /// <exception cref="ManifestException">Nesting or aliases over <paramref name="limits"/>, or malformed YAML.</exception>
    public static void Check(string text, ManifestLimits limits)
    {
        var budget = new YamlBudget(limits with { MaxYamlNodes = int.MaxValue });
        var depth = 0;
        try
        {
            var parser = new Parser(new StringReader(text));
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case MappingStart or SequenceStart:
                        budget.Open(++depth, parser.Current.Start);
                        break;
                    case MappingEnd or SequenceEnd:
                        depth--;
                        break;
                    case AnchorAlias alias:
                        budget.Alias(depth, nodes: 1, height: 0, alias.Start);
                        break;
                }
            }
        }
        catch (YamlException ex)
        {
            throw new ManifestException("", $"invalid YAML: {ex.Message}", (int)ex.Start.Line, ex);
        }
    }
}
