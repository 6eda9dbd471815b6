using System.CommandLine;
using System.CommandLine.Parsing;
using Coordinator.Grpc.V1;

namespace Coordinator.Cli.Connection;

/// <summary>The options every command takes: where the coordinator is, the namespace and the target clusters.</summary>
internal sealed class ConnectionOptions
{
    public const string DefaultServer = "http://127.0.0.1:5081";
    public const string ServerVariable = "COORDINATOR_SERVER";
    public const string TokenVariable = "ROLLOUTCTL_TOKEN";

    private readonly CliEnvironment _env;
    private readonly Lazy<CliConfig?> _saved;

    public ConnectionOptions(CliEnvironment env)
    {
        _env = env;
        _saved = new Lazy<CliConfig?>(() => CliConfigFile.Read(env));
        Server = new("--server")
        {
            Description = $"Coordinator gRPC address (default: ${ServerVariable}, else the server saved by login, else {DefaultServer})",
            HelpName = "URL",
            Recursive = true,
            DefaultValueFactory = _ => env.Variable(ServerVariable) is { Length: > 0 } url ? url : Saved?.Server ?? DefaultServer,
            Validators = { ValidateServer },
        };
    }

    public Option<string> Server { get; }

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"Bearer token for the coordinator (default: ${TokenVariable}, else the token saved by login)",
        HelpName = "TOKEN",
        Recursive = true,
    };

    public Option<FileInfo?> CaFile { get; } = new("--ca-file")
    {
        Description = "PEM CA bundle that signed the coordinator's certificate (https:// servers)",
        HelpName = "FILE",
        Recursive = true,
    };

    public Option<FileInfo?> ClientCert { get; } = new("--client-cert")
    {
        Description = "PEM client certificate (mTLS; the certificate's CN is your user name)",
        HelpName = "FILE",
        Recursive = true,
    };

    public Option<FileInfo?> ClientKey { get; } = new("--client-key")
    {
        Description = "PEM private key of --client-cert",
        HelpName = "FILE",
        Recursive = true,
    };

    public Option<string?> Namespace { get; } = new("--namespace", "-n")
    {
        Description = "Namespace of the rollout (default: the manifest's for apply, else \"default\")",
        HelpName = "NAMESPACE",
        Recursive = true,
    };

    public Option<string[]> Clusters { get; } = new("--cluster")
    {
        Description = "Target cluster (repeatable; default: every cluster)",
        HelpName = "NAME",
        Recursive = true,
    };

    public Option<Dictionary<string, string>?> Selector { get; } = new("--selector", "-l")
    {
        Description = "Target the clusters with these labels: k=v[,k2=v2]",
        HelpName = "k=v[,k2=v2]",
        Recursive = true,
        CustomParser = ParseSelector,
    };

    /// <summary>What <c>rolloutctl login</c> saved, read once.</summary>
    private CliConfig? Saved => _saved.Value;

    public IEnumerable<Option> All => [Server, Namespace, Clusters, Selector, Token, CaFile, ClientCert, ClientKey];

    /// <summary>Opens a channel to the coordinator with the parsed options.</summary>
    public RolloutConnection Open(ParseResult parse)
    {
        var clusters = parse.GetValue(Clusters) ?? [];
        var selector = parse.GetValue(Selector);
        if (clusters.Length > 0 && selector is { Count: > 0 })
            throw new UsageException("--cluster and --selector cannot be used together");
        var target = new Target();
        target.Clusters.AddRange(clusters);
        if (selector is not null)
            target.Selector.Add(selector);
        var server = parse.GetValue(Server)!;
        // Saved credentials belong to the saved server only: never send its token elsewhere.
        var saved = Saved is { } config && config.Server == server ? config : null;
        var credentials = new ChannelCredentialsOptions(
            parse.GetValue(Token) is { Length: > 0 } token ? token : _env.Variable(TokenVariable) is { Length: > 0 } fromEnv ? fromEnv : saved?.Token,
            parse.GetValue(CaFile)?.FullName ?? saved?.CaFile,
            parse.GetValue(ClientCert)?.FullName ?? saved?.ClientCert,
            parse.GetValue(ClientKey)?.FullName ?? saved?.ClientKey);
        return new RolloutConnection(server, parse.GetValue(Namespace) ?? "", target, credentials);
    }

    internal static Dictionary<string, string>? ParseSelector(ArgumentResult result)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var token in result.Tokens)
        {
            foreach (var pair in token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var eq = pair.IndexOf('=');
                if (eq <= 0)
                {
                    result.AddError($"--selector: invalid label '{pair}', expected k=v[,k2=v2]");
                    return null;
                }
                labels[pair[..eq]] = pair[(eq + 1)..];
            }
        }
        return labels;
    }

    private static void ValidateServer(OptionResult result)
    {
        var value = result.GetValueOrDefault<string>();
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            result.AddError($"--server: '{value}' is not an http:// or https:// URL");
    }
}

/// <summary>A mistake in the command line found after parsing; exits with the usage code.</summary>
internal sealed class UsageException(string message) : Exception(message);
