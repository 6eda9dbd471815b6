namespace Coordinator.Domain.Fleet;

/// <summary>
/// The fields of a FleetRollout (<c>coordinator.io/v1alpha1</c>), by JSON name. Anything else is an unknown field and
/// refused, as <c>kubectl --validate=strict</c> refuses it. <c>spec.template.spec</c> is not walked: it is a free-form
/// strategic-merge patch of the pod spec, bounded only by the manifest limits.
/// </summary>
internal static class FleetSchema
{
    public static readonly IReadOnlySet<string> Document = Set("apiVersion", "kind", "metadata", "spec");

    /// <summary>A FleetRollout is cluster-wide across the fleet: no namespace, no server-set fields.</summary>
    public static readonly IReadOnlySet<string> Metadata = Set("name", "labels", "annotations");

    public static readonly IReadOnlySet<string> Spec = Set(
        "rollout", "template", "clusters", "waves", "failureBudget", "clusterTimeout", "unreachable", "onFailure");

    public static readonly IReadOnlySet<string> RolloutRef = Set("name", "namespace");

    public static readonly IReadOnlySet<string> Template = Set("metadata", "spec");

    public static readonly IReadOnlySet<string> TemplateMetadata = Set("labels", "annotations");

    public static readonly IReadOnlySet<string> ClusterSelection = Set("names", "selector");

    public static readonly IReadOnlySet<string> LabelSelector = Set("matchLabels", "matchExpressions");

    public static readonly IReadOnlySet<string> LabelRequirement = Set("key", "operator", "values");

    public static readonly IReadOnlySet<string> Wave = Set("name", "clusters", "maxParallel", "bakeTime", "requireApproval", "failureBudget");

    private static HashSet<string> Set(params string[] names) => new(names, StringComparer.Ordinal);
}
