extern alias cli;
using System.Text;
using System.Text.Json.Nodes;
using Coordinator.KubeSim.Hosting;
using Coordinator.Silo.Hosting;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using RolloutsClient = cli::Coordinator.Grpc.V1.Rollouts.RolloutsClient;

namespace Coordinator.Silo.Tests;

/// <summary>
/// Two target clusters that enforce RBAC (KubeSim), each holding the seed scenario and the RBAC shipped in
/// deploy/kubernetes/target-cluster/rbac.yaml, applied as the file is; "full" keeps it as shipped, "nopods" loses the
/// rule that lets the coordinator read pods. The silo reaches both through a kubeconfig carrying the ServiceAccount's
/// token from its token Secret, as deploy/README.md tells operators to do.
/// </summary>
public sealed class ShippedRbacFixture : IAsyncLifetime
{
    public const string Account = "rollout-coordinator";
    private WebApplication _app = null!;
    private GrpcChannel _channel = null!;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "rbac-e2e-" + Guid.NewGuid().ToString("N"));

    public KubeSimServer Kube { get; private set; } = null!;

    public Uri GrpcUrl { get; private set; } = null!;

    public RolloutsClient Grpc { get; private set; } = null!;

    /// <summary>The silo's log (Serilog file sink), to check what it says about refused calls.</summary>
    public string LogFile => Path.Combine(_dir, "silo.log");

    public static string RbacFile => Path.Combine(AppContext.BaseDirectory, "TargetCluster", "rbac.yaml");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        Kube = await KubeSimServer.StartAsync(new KubeSimOptions { PodReadyDelay = TimeSpan.FromMilliseconds(50) });
        var tokens = new Dictionary<string, string>();
        foreach (var name in new[] { "full", "nopods", "podwrites" })
        {
            var cluster = Kube.AddCluster(name);
            cluster.LoadSeed();
            cluster.EnableRbac();
            cluster.Apply(await File.ReadAllTextAsync(RbacFile));
            if (name == "nopods") RemovePodRules(cluster);
            tokens[name] = await TokenAsync(cluster);
        }
        var kubeconfig = Path.Combine(_dir, "kubeconfig.yaml");
        await File.WriteAllTextAsync(kubeconfig, Kubeconfig(tokens));

        _app = await SiloPorts.StartOnFreePortsAsync(ports => CoordinatorApp.BuildAsync(
        [
            "--kubeconfig", kubeconfig,
            "--http-port", "0", "--grpc-port", "0", .. ports,
            "--Serilog:MinimumLevel:Default", "Warning",
            "--Serilog:WriteTo:0:Name", "File", "--Serilog:WriteTo:0:Args:path", LogFile,
        ]));
        (_, GrpcUrl) = CoordinatorApp.Endpoints(_app);
        _channel = GrpcChannel.ForAddress(GrpcUrl);
        Grpc = new RolloutsClient(_channel);
    }

    public Task<CliResult> CliAsync(params string[] args) => SiloFixture.RunCliAsync(GrpcUrl, args);

    /// <summary>The shipped ClusterRole minus every rule naming pods (the permission the second test takes away).</summary>
    private static void RemovePodRules(SimCluster cluster)
    {
        var role = cluster.Get("clusterroles", null, Account)!;
        var rules = role["rules"]!.AsArray();
        foreach (var rule in rules.Where(r => r!["resources"]!.AsArray().Any(x => x!.GetValue<string>().StartsWith("pods", StringComparison.Ordinal))).ToList())
            rules.Remove(rule);
        cluster.Replace("clusterroles", null, Account, role);
    }

    /// <summary>The token the cluster's token controller writes into the ServiceAccount's Secret (base64, as kubectl shows it).</summary>
    private static async Task<string> TokenAsync(SimCluster cluster)
    {
        await cluster.WhenControllersIdleAsync();
        var secret = cluster.Get("secrets", Account, Account + "-token")
            ?? throw new InvalidOperationException("rbac.yaml no longer ships the token Secret " + Account + "-token");
        var token = secret["data"]?["token"]?.GetValue<string>() ?? throw new InvalidOperationException("the token Secret got no token");
        return Encoding.UTF8.GetString(Convert.FromBase64String(token));
    }

    private string Kubeconfig(Dictionary<string, string> tokens)
    {
        var sb = new StringBuilder("apiVersion: v1\nkind: Config\nclusters:\n");
        foreach (var name in tokens.Keys) sb.Append($"- name: {name}\n  cluster:\n    server: {Kube[name].ServerUrl}\n");
        sb.Append("contexts:\n");
        foreach (var name in tokens.Keys) sb.Append($"- name: {name}\n  context:\n    cluster: {name}\n    user: {name}-coordinator\n");
        sb.Append($"current-context: {tokens.Keys.First()}\nusers:\n");
        foreach (var (name, token) in tokens) sb.Append($"- name: {name}-coordinator\n  user:\n    token: {token}\n");
        return sb.ToString();
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Kube.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder (the log file may still be held briefly).
        }
    }
}
