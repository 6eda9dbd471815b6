namespace Coordinator.Domain.Fleet;

/// <summary>
/// The one label-selector match (<c>metav1.LabelSelector</c> semantics): every <c>matchLabels</c> pair present, and every
/// <c>matchExpressions</c> requirement met. An empty selector matches everything, as in Kubernetes.
/// </summary>
public static class LabelSelectorMatcher
{
    public const string In = "In";
    public const string NotIn = "NotIn";
    public const string Exists = "Exists";
    public const string DoesNotExist = "DoesNotExist";

    /// <summary>The operators of <c>matchExpressions</c>, in Kubernetes' order.</summary>
    public static readonly IReadOnlyList<string> Operators = [In, NotIn, Exists, DoesNotExist];

    public static bool Matches(
        IReadOnlyDictionary<string, string> labels,
        IEnumerable<KeyValuePair<string, string>> matchLabels,
        IEnumerable<LabelRequirement>? matchExpressions = null) =>
        matchLabels.All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value)
        && (matchExpressions ?? []).All(requirement => Matches(labels, requirement));

    /// <summary>One requirement; an unknown operator matches nothing (validation refuses it before any match).</summary>
    public static bool Matches(IReadOnlyDictionary<string, string> labels, LabelRequirement requirement)
    {
        var present = labels.TryGetValue(requirement.Key, out var value);
        return requirement.Operator switch
        {
            In => present && requirement.Values.Contains(value!, StringComparer.Ordinal),
            NotIn => !present || !requirement.Values.Contains(value!, StringComparer.Ordinal),
            Exists => present,
            DoesNotExist => !present,
            _ => false,
        };
    }
}
