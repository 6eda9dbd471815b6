using System.Text.Json.Nodes;

namespace Coordinator.Kubernetes.Json;

/// <summary>
/// One read-only tree for the same JSON, whichever Rollout looks at it: a release's pod template is the same in every
/// namespace and cluster that runs it, and each Rollout kept its own trees of the Deployment's and both ReplicaSets'
/// templates between looks (at 10,000 Rollouts ~100 MB of the ~740 MB live, a heap dump of the 10,000-rollout benchmark
/// showed). A fixed table looked up by the JSON's bytes, as <see cref="Coordinator.Domain.Text.SharedStrings"/>: lossy, no
/// lock, strong references (a process-wide weak table of trees was tried: every collection walks its handles, which
/// doubled the GC pause at 10,000 Rollouts).
/// </summary>
/// <remarks>
/// Threads share the trees: each is complete before it is published (<see cref="SharedJsonTree"/> leaves nothing to
/// initialize lazily) and nobody changes one (the planner copies a template before it edits it).
/// </remarks>
internal static class SharedTrees
{
    /// <summary>Room for the distinct templates of a large fleet; a miss only costs the tree a Rollout made before.</summary>
    private const int Slots = 1 << 10;

    /// <summary>Larger documents are rare and not worth keeping one of per slot.</summary>
    private const int MaxBytes = 64 * 1024;

    private sealed record Entry(byte[] Json, JsonObject Tree);

    private static readonly Entry?[] Table = new Entry?[Slots];

    /// <summary>The tree of this JSON object, shared with earlier callers when it was seen recently.</summary>
    public static JsonObject Get(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxBytes) return SharedJsonTree.ParseObject(json);
        var hash = new HashCode();
        hash.AddBytes(json);
        var slot = (int)((uint)hash.ToHashCode() % Slots);
        var existing = Volatile.Read(ref Table[slot]);
        if (existing is not null && json.SequenceEqual(existing.Json)) return existing.Tree;
        var tree = SharedJsonTree.ParseObject(json);
        Volatile.Write(ref Table[slot], new Entry(json.ToArray(), tree));
        return tree;
    }
}
