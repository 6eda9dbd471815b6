using YamlDotNet.Core;

namespace Coordinator.Domain.Manifest;

/// <summary>
/// The running count of what a YAML stream has cost so far, checked on each parser event, before the node is built:
/// open collections (nesting), aliases, and nodes with every alias counted as the nodes it stands for.
/// </summary>
internal sealed class YamlBudget(ManifestLimits limits)
{
    public int Nodes { get; private set; }

    public int Aliases { get; private set; }

    /// <summary>A collection opens at <paramref name="depth"/> (1 = top level).</summary>
    public void Open(int depth, Mark at)
    {
        if (depth > limits.MaxNestingDepth)
            throw ManifestException.LimitExceeded(nameof(ManifestLimits.MaxNestingDepth), $"nesting deeper than {limits.MaxNestingDepth} levels", at.Line);
        Add(1, at);
    }

    /// <summary>An alias at <paramref name="depth"/> open collections stands for <paramref name="nodes"/> nodes nested <paramref name="height"/> deep.</summary>
    public void Alias(int depth, int nodes, int height, Mark at)
    {
        if (++Aliases > limits.MaxYamlAliases)
            throw ManifestException.LimitExceeded(nameof(ManifestLimits.MaxYamlAliases), $"more than {limits.MaxYamlAliases} YAML aliases", at.Line);
        if (depth + height > limits.MaxNestingDepth)
            throw ManifestException.LimitExceeded(nameof(ManifestLimits.MaxNestingDepth), $"nesting deeper than {limits.MaxNestingDepth} levels (through an alias)", at.Line);
        Add(nodes, at);
    }

    public void Add(int nodes, Mark at)
    {
        // Compared as long: an alias of a huge anchor must not overflow the count back under the bound.
        if ((long)Nodes + nodes > limits.MaxYamlNodes)
            throw ManifestException.LimitExceeded(nameof(ManifestLimits.MaxYamlNodes), $"more than {limits.MaxYamlNodes} YAML nodes (aliases expanded)", at.Line);
        Nodes += nodes;
    }
}
