using Coordinator.Domain.Manifest;
using Coordinator.Domain.Validation;

namespace Coordinator.Domain.Fleet;

/// <summary>
/// A cluster selection (<c>spec.clusters</c>, <c>spec.waves[i].clusters</c>): names, a label selector, or both. An empty
/// one is refused rather than read as "every cluster" (Kubernetes' empty selector): omitting the field says that.
/// Selector keys, values and operators follow <c>metav1.LabelSelector</c>'s validation.
/// </summary>
public static partial class FleetValidator
{
    private static void ValidateSelection(ClusterSelection selection, string path, string omitHint, List<FieldError> errors)
    {
        var names = selection.Names ?? [];
        var matchLabels = selection.MatchLabels ?? new Dictionary<string, string>();
        var expressions = selection.MatchExpressions ?? [];
        if (names.Count == 0 && matchLabels.Count == 0 && expressions.Count == 0)
        {
            errors.Add(FieldError.Required(path, $"names or a selector; {omitHint}"));
            return;
        }

        ValidateClusterNames(names, $"{path}.names", errors);
        if (LabelRules.Labels(matchLabels, $"{path}.selector.matchLabels") is { } labelError)
        {
            errors.Add(labelError);
        }

        for (var i = 0; i < expressions.Count; i++)
        {
            ValidateRequirement(expressions[i], $"{path}.selector.matchExpressions[{i}]", errors);
        }
    }

    private static void ValidateClusterNames(IReadOnlyList<string> names, string path, List<FieldError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var n = 0; n < names.Count; n++)
        {
            var name = names[n] ?? "";
            if (name.Length == 0)
            {
                errors.Add(FieldError.Required($"{path}[{n}]", "a cluster name"));
            }
            else if (name.Length > KubernetesNames.MaxSubdomainLength)
            {
                errors.Add(FieldError.Invalid($"{path}[{n}]", KubernetesNames.Truncate(name), $"must be no more than {KubernetesNames.MaxSubdomainLength} characters"));
            }
            else if (!seen.Add(name))
            {
                errors.Add(FieldError.Duplicate($"{path}[{n}]", name));
            }
        }
    }

    private static void ValidateRequirement(LabelRequirement requirement, string path, List<FieldError> errors)
    {
        var values = requirement.Values ?? [];
        if (LabelRules.Key($"{path}.key", requirement.Key ?? "") is { } keyError)
        {
            errors.Add(keyError);
        }

        switch (requirement.Operator)
        {
            case LabelSelectorMatcher.In or LabelSelectorMatcher.NotIn when values.Count == 0:
                errors.Add(FieldError.Required($"{path}.values", "must be specified when `operator` is 'In' or 'NotIn'"));
                break;
            case LabelSelectorMatcher.Exists or LabelSelectorMatcher.DoesNotExist when values.Count > 0:
                errors.Add(FieldError.Forbidden($"{path}.values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                break;
            case LabelSelectorMatcher.In or LabelSelectorMatcher.NotIn or LabelSelectorMatcher.Exists or LabelSelectorMatcher.DoesNotExist:
                break;
            default:
                errors.Add(FieldError.NotSupported($"{path}.operator", KubernetesNames.Truncate(requirement.Operator ?? ""), LabelSelectorMatcher.Operators));
                break;
        }

        for (var v = 0; v < values.Count; v++)
        {
            if (LabelRules.Value($"{path}.values[{v}]", values[v] ?? "") is { } valueError)
            {
                errors.Add(valueError);
            }
        }
    }
}
