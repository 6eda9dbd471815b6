namespace Coordinator.KubeSim.Hosting;

/// <summary>Parsed command line of the KubeSim program.</summary>
public sealed record CommandLine(IReadOnlyList<string> Clusters, bool Seed, string? KubeconfigPath, int Port)
{
    public const string Usage =
        "usage: Coordinator.KubeSim --clusters <name>[,<name>...] [--seed] [--kubeconfig <path>] [--port <n>]";

    /// <summary>Returns the parsed arguments, or null with an error message naming the offending flag.</summary>
    public static CommandLine? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        List<string>? clusters = null;
        var seed = false;
        string? kubeconfig = null;
        var port = 0;
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
                    clusters = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
                    var bad = clusters.FirstOrDefault(c => !System.Text.RegularExpressions.Regex.IsMatch(c, "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"));
                    if (bad != null) return Fail(out error, $"--clusters: '{bad}' is not a valid cluster name (lowercase letters, digits and '-')");
                    if (clusters.Distinct().Count() != clusters.Count) return Fail(out error, "--clusters: names must be unique");
                    break;
                case "--seed":
                    if (inline != null) return Fail(out error, "--seed takes no value");
                    seed = true;
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
                default:
                    return Fail(out error, $"unknown flag '{arg}'");
            }
        }
        if (clusters == null || clusters.Count == 0) return Fail(out error, "--clusters is required");
        return new CommandLine(clusters, seed, kubeconfig, port);
    }

    private static CommandLine? Fail(out string? error, string message)
    {
        error = message;
        return null;
    }
}
