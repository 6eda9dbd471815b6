using Coordinator.Domain.Validation;

namespace Coordinator.Domain.Fleet;

/// <summary>The waves resolved against the fleet, or the first field error that prevents it.</summary>
public sealed record FleetResolution(FleetPlan? Plan, FieldError? Error)
{
    public bool IsValid => Plan is not null;
}

/// <summary>
/// Resolves a FleetRollout's waves against the fleet as it is now, to fixed cluster lists (the plan a run freezes).
/// <list type="bullet">
/// <item>Taking part: the clusters <c>spec.clusters</c> selects (names and/or selector, both when both are given), or by
/// default every cluster; when <c>clustersWithRollout</c> is given, only those that have the Rollout (a cluster named
/// explicitly that lacks it is an error, one matched by labels is left out).</item>
/// <item>Each cluster taking part is in the first wave that selects it, clusters in registry order; a wave without
/// <c>clusters</c> (the last) takes every cluster left.</item>
/// <item>Errors name the field: an unknown cluster name (listing the clusters that exist), a named cluster without the
/// Rollout or not taking part, a wave that selects no cluster, and clusters taking part that no wave selects (they
/// would silently keep the old release).</item>
/// </list>
/// <c>maxParallel</c> resolves against the wave's size (percentages rounded up, at least 1, at most the wave), budgets
/// round down; the run's budget resolves against every cluster of the plan, <see cref="int.MaxValue"/> when unset.
/// The static rules of <see cref="FleetValidator"/> run first.
/// </summary>
public static class FleetWaves
{
    /// <summary>Clusters named in a message before "and N more": a fleet of thousands is not listed whole.</summary>
    private const int ListedClusters = 10;

    public static FleetResolution Resolve(FleetSpec spec, IReadOnlyList<FleetCluster> clusters, IReadOnlySet<string>? clustersWithRollout)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(clusters);
        if (FleetValidator.Validate(spec, "").FirstError is { } invalid)
        {
            return Fail(invalid);
        }

        var fleet = new Fleet(spec, clusters, clustersWithRollout);
        if (spec.Clusters is { } selection && fleet.CheckNames(selection, "spec.clusters.names", forParticipation: true) is { } nameError)
        {
            return Fail(nameError);
        }

        var participants = clusters.Where(fleet.TakesPart).DistinctBy(c => c.Name).ToList();
        if (participants.Count == 0)
        {
            return Fail(fleet.NoneTakesPart());
        }

        var taken = new HashSet<string>(StringComparer.Ordinal);
        var waves = new List<PlannedWave>(spec.Waves.Count);
        for (var i = 0; i < spec.Waves.Count; i++)
        {
            var wave = spec.Waves[i];
            if (wave.Clusters is { } waveSelection && fleet.CheckNames(waveSelection, $"spec.waves[{i}].clusters.names", forParticipation: false) is { } waveNameError)
            {
                return Fail(waveNameError);
            }

            var members = participants.Where(c => !taken.Contains(c.Name) && (wave.Clusters is null || Selects(wave.Clusters, c))).Select(c => c.Name).ToList();
            if (members.Count == 0)
            {
                return Fail(SelectsNothing(wave, i, participants, taken));
            }

            taken.UnionWith(members);
            waves.Add(new PlannedWave(wave.Name, members, Math.Min(members.Count, wave.MaxParallel.ResolveUp(members.Count)), wave.BakeTime,
                wave.RequireApproval, wave.FailureBudget.ResolveDown(members.Count)));
        }

        var left = participants.Where(c => !taken.Contains(c.Name)).Select(c => c.Name).ToList();
        if (left.Count > 0)
        {
            return Fail(FieldError.Invalid("spec.waves", ListNames(left),
                "these clusters take part but no wave selects them: select them in a wave, or end with a wave without clusters (it takes every cluster left)"));
        }

        return new FleetResolution(new FleetPlan(waves, spec.FailureBudget?.ResolveDown(taken.Count) ?? int.MaxValue), null);
    }

    /// <summary>Names (when given) and labels (when given) both select the cluster.</summary>
    public static bool Selects(ClusterSelection selection, FleetCluster cluster) =>
        ((selection.Names ?? []).Count == 0 || selection.Names!.Contains(cluster.Name, StringComparer.Ordinal))
        && LabelSelectorMatcher.Matches(cluster.Labels, selection.MatchLabels ?? new Dictionary<string, string>(), selection.MatchExpressions);

    private static FieldError SelectsNothing(WaveSpec wave, int index, List<FleetCluster> participants, HashSet<string> taken)
    {
        if (wave.Clusters is null)
        {
            return FieldError.Invalid($"spec.waves[{index}]", wave.Name, "takes no cluster: every cluster taking part is in an earlier wave");
        }

        var matching = participants.Where(c => Selects(wave.Clusters, c)).Select(c => c.Name).ToList();
        var detail = matching.Count == 0
            ? $"selects no cluster taking part ({ListNames(participants.Select(c => c.Name))})"
            : $"selects no cluster: {ListNames(matching)} {(matching.Count == 1 ? "is" : "are")} in an earlier wave";
        return FieldError.Invalid($"spec.waves[{index}].clusters", Describe(wave.Clusters), detail);
    }

    /// <summary>A selection as the user wrote it, for a message.</summary>
    private static object Describe(ClusterSelection selection)
    {
        var shown = new Dictionary<string, object>(StringComparer.Ordinal);
        if ((selection.Names ?? []).Count > 0)
        {
            shown["names"] = selection.Names!;
        }

        var selector = new Dictionary<string, object>(StringComparer.Ordinal);
        if ((selection.MatchLabels ?? new Dictionary<string, string>()).Count > 0)
        {
            selector["matchLabels"] = new SortedDictionary<string, string>(selection.MatchLabels!.ToDictionary(), StringComparer.Ordinal); // as Go prints a map
        }

        if ((selection.MatchExpressions ?? []).Count > 0)
        {
            selector["matchExpressions"] = selection.MatchExpressions!;
        }

        if (selector.Count > 0)
        {
            shown["selector"] = selector;
        }

        return shown;
    }

    /// <summary>Names for a message: the first ten, then "and N more".</summary>
    internal static string ListNames(IEnumerable<string> names)
    {
        var all = names.ToList();
        var shown = string.Join(", ", all.Take(ListedClusters));
        return all.Count <= ListedClusters ? shown : $"{shown} and {all.Count - ListedClusters} more";
    }

    private static FleetResolution Fail(FieldError error) => new(null, error);

    /// <summary>The fleet as the spec sees it: which clusters exist, which have the Rollout, which take part.</summary>
    private sealed class Fleet(FleetSpec spec, IReadOnlyList<FleetCluster> clusters, IReadOnlySet<string>? clustersWithRollout)
    {
        private readonly Dictionary<string, FleetCluster> _byName = clusters.DistinctBy(c => c.Name).ToDictionary(c => c.Name, StringComparer.Ordinal);

        private string RolloutKey => $"{spec.Rollout.Namespace}/{spec.Rollout.Name}";

        public bool HasRollout(string cluster) => clustersWithRollout?.Contains(cluster) ?? true;

        public bool TakesPart(FleetCluster cluster) => HasRollout(cluster.Name) && (spec.Clusters is null || Selects(spec.Clusters, cluster));

        /// <summary>Every explicitly named cluster exists, has the Rollout and (in a wave) takes part.</summary>
        public FieldError? CheckNames(ClusterSelection selection, string path, bool forParticipation)
        {
            var names = selection.Names ?? [];
            for (var n = 0; n < names.Count; n++)
            {
                var field = $"{path}[{n}]";
                if (!_byName.TryGetValue(names[n], out var cluster))
                {
                    return FieldError.NotFound(field, names[n], $"the fleet's clusters are {ListNames(clusters.Select(c => c.Name))}");
                }

                if (!HasRollout(cluster.Name))
                {
                    return FieldError.Invalid(field, cluster.Name, $"the cluster has no Rollout {RolloutKey} (apply it there first)");
                }

                if (!forParticipation && !TakesPart(cluster))
                {
                    return FieldError.Invalid(field, cluster.Name, "the cluster does not take part: spec.clusters does not select it");
                }
            }

            return null;
        }

        public FieldError NoneTakesPart()
        {
            if (clusters.Count == 0)
            {
                return FieldError.Forbidden("spec.clusters", "the fleet has no clusters (Coordinator:Clusters)");
            }

            if (spec.Clusters is { } selection)
            {
                var detail = clustersWithRollout is null
                    ? $"selects no cluster (the fleet's clusters are {ListNames(clusters.Select(c => c.Name))})"
                    : $"selects no cluster that has the Rollout {RolloutKey}";
                return FieldError.Invalid("spec.clusters", Describe(selection), detail);
            }

            return FieldError.NotFound("spec.rollout.name", spec.Rollout.Name, $"no cluster has the Rollout {RolloutKey} (the fleet's clusters are {ListNames(clusters.Select(c => c.Name))})");
        }
    }
}
