using Coordinator.Abstractions;
using Coordinator.Grpc.V1;
using Grpc.Core;

namespace Coordinator.Grpc;

/// <summary>Turns a <see cref="Target"/> (names or a label selector; neither = all) into cluster names.</summary>
internal sealed class TargetResolver(IGrainFactory grains)
{
    public async Task<IReadOnlyList<string>> ResolveAsync(Target? target)
    {
        var clusters = await grains.GetGrain<IFleetDirectoryGrain>(0).ListClusters(probe: false);
        var names = target?.Clusters.Where(n => !string.IsNullOrWhiteSpace(n)).Distinct().ToList() ?? [];
        foreach (var name in names) RequestNames.Cluster(name);
        var selector = target?.Selector ?? new Google.Protobuf.Collections.MapField<string, string>();

        if (names.Count > 0 && selector.Count > 0)
            throw CommandErrors.Invalid("target", "give either cluster names or a label selector, not both");

        if (names.Count > 0)
        {
            var known = clusters.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            var unknown = names.FirstOrDefault(n => !known.Contains(n));
            if (unknown is not null)
                throw CommandErrors.Invalid("target.clusters", $"unknown cluster '{unknown}' (known: {string.Join(", ", clusters.Select(c => c.Name))})");
            return names;
        }

        var selected = clusters
            .Where(c => c.HasLabels(selector))
            .Select(c => c.Name)
            .ToList();
        if (selected.Count == 0)
            throw selector.Count > 0
                ? CommandErrors.Invalid("target.selector", $"no cluster has the labels {string.Join(",", selector.Select(kv => $"{kv.Key}={kv.Value}"))}")
                : new RpcException(new Status(StatusCode.FailedPrecondition, "no cluster is configured"));
        return selected;
    }
}
