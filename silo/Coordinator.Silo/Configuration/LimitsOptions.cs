using Coordinator.Domain.Manifest;

namespace Coordinator.Silo.Configuration;

/// <summary>
/// Bounds on what clients can make the silo read or hold, section <c>Coordinator:Limits</c>. Manifest limits are
/// checked while the manifest is read; every refusal is an InvalidArgument naming the key here that raises it.
/// </summary>
public sealed class LimitsOptions
{
    public const string Section = ManifestLimits.Section;

    /// <summary>Overhead of an ApplyRollout request beyond its manifest (namespace, target) that the gRPC limit must leave room for.</summary>
    private const int RequestOverheadBytes = 64 * 1024;

    /// <summary>Parsed trees are still walked recursively (copies, serialization): a bound on the nesting bound.</summary>
    private const int MaxSafeNestingDepth = 1000;

    public int MaxManifestBytes { get; set; } = ManifestLimits.Default.MaxManifestBytes;

    public int MaxYamlNodes { get; set; } = ManifestLimits.Default.MaxYamlNodes;

    public int MaxYamlAliases { get; set; } = ManifestLimits.Default.MaxYamlAliases;

    public int MaxNestingDepth { get; set; } = ManifestLimits.Default.MaxNestingDepth;

    public int MaxSteps { get; set; } = ManifestLimits.Default.MaxSteps;

    /// <summary>Concurrent WatchRollout streams per client (the authenticated user, else the peer address).</summary>
    public int MaxWatchesPerClient { get; set; } = 16;

    /// <summary>
    /// Largest gRPC request the silo receives (gRPC's usual 4 MiB). Must leave room above <see cref="MaxManifestBytes"/>, so
    /// that a manifest just over its limit reaches the service and gets the InvalidArgument naming that limit.
    /// </summary>
    public int MaxGrpcMessageBytes { get; set; } = 4 * 1024 * 1024;

    public ManifestLimits ToManifestLimits() => new()
    {
        MaxManifestBytes = MaxManifestBytes,
        MaxYamlNodes = MaxYamlNodes,
        MaxYamlAliases = MaxYamlAliases,
        MaxNestingDepth = MaxNestingDepth,
        MaxSteps = MaxSteps,
    };

    /// <exception cref="InvalidOperationException">A limit that is not positive, or a gRPC limit that leaves no room for a manifest.</exception>
    public void Validate()
    {
        foreach (var (name, value) in new[]
        {
            (nameof(MaxManifestBytes), MaxManifestBytes), (nameof(MaxYamlNodes), MaxYamlNodes), (nameof(MaxYamlAliases), MaxYamlAliases),
            (nameof(MaxNestingDepth), MaxNestingDepth), (nameof(MaxSteps), MaxSteps), (nameof(MaxWatchesPerClient), MaxWatchesPerClient),
            (nameof(MaxGrpcMessageBytes), MaxGrpcMessageBytes),
        })
        {
            if (value <= 0) throw new InvalidOperationException($"{Section}:{name} must be greater than 0 (got {value})");
        }
        if (MaxNestingDepth > MaxSafeNestingDepth)
            throw new InvalidOperationException(
                $"{Section}:{nameof(MaxNestingDepth)} ({MaxNestingDepth}) must be at most {MaxSafeNestingDepth}: deeper trees would let recursive JSON handling overflow the stack");
        if ((long)MaxGrpcMessageBytes < (long)MaxManifestBytes + RequestOverheadBytes)
            throw new InvalidOperationException(
                $"{Section}:{nameof(MaxGrpcMessageBytes)} ({MaxGrpcMessageBytes}) must be at least {Section}:{nameof(MaxManifestBytes)} + {RequestOverheadBytes} bytes");
    }
}
