using System.Text.RegularExpressions;

namespace Coordinator.KubeSim.Hosting;

/// <summary>
/// Labels of a simulated cluster (e.g. region, tier), shown by the admin listing and given on the command line as
/// <c>--clusters dev:region=europe-west1,tier=web,prod:region=us-east1</c>. They follow Kubernetes' label syntax, so the
/// same labels can go into a cluster registry and its selectors.
/// </summary>
public static partial class ClusterLabels
{
    public static IReadOnlyDictionary<string, string> None { get; } = new Dictionary<string, string>();

    /// <summary>Null when the label is valid, else why not (naming the key).</summary>
    public static string? Error(string key, string value)
    {
        var slash = key.IndexOf('/');
        var (prefix, name) = slash < 0 ? (null, key) : (key[..slash], key[(slash + 1)..]);
        if (prefix != null && (prefix.Length == 0 || prefix.Length > 253 || !Subdomain().IsMatch(prefix)))
            return $"label key '{key}': the prefix must be a DNS subdomain";
        if (name.Length == 0 || name.Length > 63 || !Name().IsMatch(name))
            return $"label key '{key}' must be at most 63 characters: alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric";
        if (value.Length > 63 || value.Length > 0 && !Name().IsMatch(value))
            return $"label '{key}': value '{value}' must be empty or at most 63 characters: alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric";
        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex Name();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();
}
