namespace Coordinator.KubeSim.Hosting;

/// <summary>Parsed command line of the KubeSim program.</summary>
public sealed record CommandLine(IReadOnlyList<string> Clusters, bool Seed, string? KubeconfigPath, int Port)
{
    public const string Usage =
        "usage: Coordinator.KubeSim --clusters <name>[:<label>=<value>[,<label>=<value>...]][,<name>...] [--cluster-count <n> [--cluster-prefix <p>]] [--seed] [--kubeconfig <path>] [--port <n>] [--bind <ip>] [--advertise-host <host>] [--rbac]";

    /// <summary>IP address to listen on (<c>--bind</c>); loopback unless given.</summary>
    public string BindAddress { get; init; } = "127.0.0.1";

    /// <summary>Host written into cluster URLs and the kubeconfig (<c>--advertise-host</c>); default: the bind address,
    /// or 127.0.0.1 when binding loopback or every interface.</summary>
    public string AdvertisedHost { get; init; } = "127.0.0.1";

    /// <summary>Labels per cluster name, from <c>--clusters dev:region=europe-west1,tier=web,prod:region=us-east1</c>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Labels { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>The labels of one cluster (empty when none were given).</summary>
    public IReadOnlyDictionary<string, string> LabelsOf(string cluster) => Labels.TryGetValue(cluster, out var l) ? l : ClusterLabels.None;

    /// <summary>Clusters enforce RBAC (<c>--rbac</c>); the kubeconfig's token "kubesim" stays cluster-admin.</summary>
    public bool Rbac { get; init; }

    /// <summary>Most clusters --cluster-count may generate (named &lt;prefix&gt;1 .. &lt;prefix&gt;N).</summary>
    public const int MaxGeneratedClusters = 100_000;

    /// <summary>Returns the parsed arguments, or null with an error message naming the offending flag.</summary>
    public static CommandLine? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        List<string>? clusters = null;
        var labels = new Dictionary<string, IReadOnlyDictionary<string, string>>();
        var seed = false;
        var rbac = false;
        string? kubeconfig = null;
        var port = 0;
        var count = 0;
        var prefix = "cluster-";
        string? bind = null;
        string? advertise = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var (flag, inline) = arg.Contains('=') ? (arg[..arg.IndexOf('=')], arg[(arg.IndexOf('=') + 1)..]) : (arg, null);
            string? Value()
            {
                if (inline != null) return inline;
                if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) return args[++i];
                return null;
            }
            switch (flag)
            {
                case "--clusters":
                    var list = Value();
                    if (string.IsNullOrWhiteSpace(list)) return Fail(out error, "--clusters needs a comma-separated list of cluster names");
                    clusters = [];
                    if (ParseClusters(list, clusters, labels) is { } clustersError) return Fail(out error, clustersError);
                    break;
                case "--cluster-count":
                    var n = Value();
                    if (!int.TryParse(n, out count) || count < 1 || count > MaxGeneratedClusters)
                        return Fail(out error, $"--cluster-count must be an integer between 1 and {MaxGeneratedClusters}, got '{n}'");
                    break;
                case "--cluster-prefix":
                    var pfx = Value();
                    if (string.IsNullOrEmpty(pfx) || !System.Text.RegularExpressions.Regex.IsMatch(pfx, "^[a-z0-9][-a-z0-9]*$"))
                        return Fail(out error, $"--cluster-prefix must start with a lowercase letter or digit and contain only lowercase letters, digits and '-', got '{pfx}'");
                    prefix = pfx;
                    break;
                case "--seed":
                    if (inline != null) return Fail(out error, "--seed takes no value");
                    seed = true;
                    break;
                case "--rbac":
                    if (inline != null) return Fail(out error, "--rbac takes no value");
                    rbac = true;
                    break;
                case "--kubeconfig":
                    kubeconfig = Value();
                    if (string.IsNullOrWhiteSpace(kubeconfig)) return Fail(out error, "--kubeconfig needs a file path");
                    break;
                case "--port":
                    var p = Value();
                    if (!int.TryParse(p, out port) || port < 0 || port > 65535)
                        return Fail(out error, $"--port must be an integer between 0 and 65535, got '{p}'");
                    break;
                case "--bind":
                    bind = Value();
                    if (!System.Net.IPAddress.TryParse(bind, out _))
                        return Fail(out error, $"--bind needs an IP address (e.g. 0.0.0.0 for every interface), got '{bind}'");
                    break;
                case "--advertise-host":
                    advertise = Value();
                    if (string.IsNullOrWhiteSpace(advertise) || Uri.CheckHostName(advertise) == UriHostNameType.Unknown)
                        return Fail(out error, $"--advertise-host needs a host name or IP address, got '{advertise}'");
                    break;
                default:
                    return Fail(out error, $"unknown flag '{arg}'");
            }
        }
        if (count > 0)
        {
            // Generated names (for load tests): <prefix>1 .. <prefix>N, after any --clusters.
            clusters ??= [];
            for (var i = 1; i <= count; i++) clusters.Add(prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (clusters.Distinct().Count() != clusters.Count) return Fail(out error, "--cluster-count: generated names collide with --clusters");
            if (clusters.Any(c => c.Length > 63)) return Fail(out error, "--cluster-prefix: generated names must be at most 63 characters");
        }
        if (clusters == null || clusters.Count == 0) return Fail(out error, "--clusters is required (or --cluster-count)");
        var bindIp = System.Net.IPAddress.Parse(bind ?? "127.0.0.1");
        var bindIsGeneric = System.Net.IPAddress.IsLoopback(bindIp) || bindIp.Equals(System.Net.IPAddress.Any) || bindIp.Equals(System.Net.IPAddress.IPv6Any);
        return new CommandLine(clusters, seed, kubeconfig, port)
        {
            BindAddress = bindIp.ToString(),
            AdvertisedHost = advertise ?? (bindIsGeneric ? "127.0.0.1" : bindIp.ToString()),
            Rbac = rbac,
            Labels = labels,
        };
    }

    /// <summary>
    /// <c>dev:region=europe-west1,tier=web,prod</c>: an item with ':' starts a cluster and its first label, an item with '='
    /// adds a label to the cluster before it, any other item is a cluster without labels. Unambiguous because neither a
    /// cluster name nor a label may contain the other separator. Null when valid, else the error.
    /// </summary>
    private static string? ParseClusters(string list, List<string> clusters, Dictionary<string, IReadOnlyDictionary<string, string>> labels)
    {
        Dictionary<string, string>? current = null;
        foreach (var item in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = item.IndexOf(':');
            var label = colon >= 0 ? item[(colon + 1)..] : item;
            if (colon >= 0 || !item.Contains('='))
            {
                var name = colon >= 0 ? item[..colon] : item;
                if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"))
                    return $"--clusters: '{name}' is not a valid cluster name (lowercase letters, digits and '-')";
                if (clusters.Contains(name)) return "--clusters: names must be unique";
                clusters.Add(name);
                current = null;
                if (colon < 0) continue;
                labels[name] = current = [];
            }
            if (current == null) return $"--clusters: label '{item}' must follow a cluster name and ':' (e.g. dev:region=europe-west1,tier=web)";
            var eq = label.IndexOf('=');
            if (eq <= 0) return $"--clusters: '{item}' needs a label as key=value";
            var (key, value) = (label[..eq], label[(eq + 1)..]);
            if (ClusterLabels.Error(key, value) is { } labelError) return $"--clusters: cluster '{clusters[^1]}': {labelError}";
            current[key] = value;
        }
        return null;
    }

    private static CommandLine? Fail(out string? error, string message)
    {
        error = message;
        return null;
    }
}
