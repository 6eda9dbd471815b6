using Coordinator.Domain.Manifest;

namespace Coordinator.Domain.Validation;

/// <summary>
/// apimachinery's rules for label keys and values (<c>IsQualifiedName</c>, <c>IsValidLabelValue</c>) as field errors,
/// for every place that takes labels or a selector from a user: pod metadata, template patches, cluster selectors.
/// </summary>
internal static class LabelRules
{
    public const string QualifiedNameMessage =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";

    public const string LabelValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

    /// <summary>A label or annotation key; null when valid.</summary>
    public static FieldError? Key(string path, string key) =>
        KubernetesNames.IsQualifiedName(key) ? null : FieldError.Invalid(path, KubernetesNames.Truncate(key), QualifiedNameMessage);

    /// <summary>A label value; null when valid.</summary>
    public static FieldError? Value(string path, string value) =>
        KubernetesNames.IsLabelValue(value)
            ? null
            : FieldError.Invalid(path, KubernetesNames.Truncate(value), value.Length > KubernetesNames.MaxLabelLength ? "must be no more than 63 characters" : LabelValueMessage);

    /// <summary>The first bad key or value of <paramref name="labels"/> (keys in ordinal order, as Go's sorted map walk); null when all are valid.</summary>
    public static FieldError? Labels(IEnumerable<KeyValuePair<string, string>> labels, string path) =>
        labels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => Key(path, p.Key) ?? Value(path, p.Value)).FirstOrDefault(e => e is not null);
}
