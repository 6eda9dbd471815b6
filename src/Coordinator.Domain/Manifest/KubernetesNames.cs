using System.Text.RegularExpressions;

namespace Coordinator.Domain.Manifest;

/// <summary>
/// The apiserver's name rules (k8s.io/apimachinery validation), with its messages: object names such as a
/// Rollout's are DNS-1123 subdomains (at most 253 characters), namespaces DNS-1123 labels (at most 63). Neither can
/// hold a '/', which would also break the <c>cluster/namespace/name</c> grain key.
/// </summary>
public static partial class KubernetesNames
{
    public const int MaxSubdomainLength = 253;
    public const int MaxLabelLength = 63;

    private const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    /// <summary>Longest part of a refused value quoted back in a message: a hostile value is not echoed whole.</summary>
    private const int QuotedLength = 64;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    /// <summary>Null for a valid object name, else the apiserver's message (without the field).</summary>
    public static string? SubdomainError(string value) => Check(value, SubdomainProblem(value));

    /// <summary>Null for a valid namespace, else the apiserver's message (without the field).</summary>
    public static string? LabelError(string value) => Check(value, LabelProblem(value));

    /// <summary>As <see cref="SubdomainError"/> without the "Invalid value: ..." prefix, for a field error that renders the value itself.</summary>
    public static string? SubdomainProblem(string value) => Problem(value, MaxSubdomainLength, Subdomain(), SubdomainMessage);

    /// <summary>As <see cref="LabelError"/> without the "Invalid value: ..." prefix, for a field error that renders the value itself.</summary>
    public static string? LabelProblem(string value) => Problem(value, MaxLabelLength, Label(), LabelMessage);

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex QualifiedNamePart();

    /// <summary>A label or annotation key (<c>IsQualifiedName</c>): an optional DNS subdomain prefix and '/', then a name part of at most 63 characters.</summary>
    public static bool IsQualifiedName(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[(slash + 1)..];
        var prefixValid = slash < 0 || (slash > 0 && SubdomainError(key[..slash]) is null);
        return prefixValid && name.Length <= MaxLabelLength && QualifiedNamePart().IsMatch(name);
    }

    /// <summary>A label value (<c>IsValidLabelValue</c>): empty, or at most 63 characters of the name-part alphabet.</summary>
    public static bool IsLabelValue(string value) =>
        value.Length == 0 || (value.Length <= MaxLabelLength && QualifiedNamePart().IsMatch(value));

    /// <summary><paramref name="value"/> in quotes, cut to a length fit for an error message.</summary>
    public static string Quote(string value) =>
        value.Length <= QuotedLength ? $"\"{value}\"" : $"\"{value[..QuotedLength]}...\" ({value.Length} characters)";

    /// <summary><paramref name="value"/> cut to a length fit for an error message (a hostile value is not echoed whole).</summary>
    public static string Truncate(string value) => value.Length <= QuotedLength ? value : $"{value[..QuotedLength]}...";

    private static string? Check(string value, string? problem) => problem is null ? null : $"Invalid value: {Quote(value)}: {problem}";

    private static string? Problem(string value, int maxLength, Regex pattern, string message)
    {
        if (value.Length > maxLength)
            return $"must be no more than {maxLength} characters";
        return pattern.IsMatch(value) ? null : message;
    }
}
