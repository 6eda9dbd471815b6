namespace Coordinator.Domain.Ports;

/// <summary>The configured target clusters, their labels, and whether their API servers answer.</summary>
public interface IClusterDirectory
{
    /// <summary>Every configured cluster, ordered by name.</summary>
    IReadOnlyList<ClusterEntry> ListClusters();

    /// <summary>The API server's version of <paramref name="cluster"/> (<c>GET /version</c>); throws when it does not answer.</summary>
    Task<string> ServerVersionAsync(string cluster, CancellationToken cancellationToken);
}

/// <summary>One configured cluster as the rest of the coordinator sees it; <see cref="Server"/> never carries credentials.</summary>
public sealed record ClusterEntry(string Name, IReadOnlyDictionary<string, string> Labels, string Server);
