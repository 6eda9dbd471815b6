using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Coordinator.KubeSim.Api;
using Coordinator.KubeSim.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Coordinator.KubeSim.Hosting;

/// <summary>
/// One Kestrel listener (127.0.0.1 unless <see cref="KubeSimOptions.BindAddress"/> says otherwise) hosting many simulated
/// clusters, each under its own path prefix (<c>http://127.0.0.1:&lt;port&gt;/clusters/&lt;name&gt;</c>, host from
/// <see cref="KubeSimOptions.AdvertisedHost"/>); simulator control lives under <c>/_kubesim/</c>.
/// </summary>
public sealed partial class KubeSimServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, SimCluster> _clusters = new(StringComparer.Ordinal);
    private readonly WebApplication _app;

    private KubeSimServer(WebApplication app, KubeSimOptions options)
    {
        _app = app;
        Options = options;
    }

    public KubeSimOptions Options { get; }

    public int Port { get; private set; }

    /// <summary>Signalled when the listener begins to stop (also on SIGTERM, which the host's console lifetime turns into a stop).</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    /// <summary>http://&lt;advertised host&gt;:&lt;port&gt; (127.0.0.1 by default), the root of the listener (admin endpoints are under /_kubesim).</summary>
    public string BaseUrl => $"http://{UrlHost(Options.AdvertisedHost)}:{Port}";

    public IReadOnlyCollection<SimCluster> Clusters => _clusters.Values.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();

    /// <summary>The clusters in no particular order, without sorting or copying (for counters over many clusters).</summary>
    internal IEnumerable<SimCluster> AllClusters => _clusters.Values;

    public SimCluster this[string name] =>
        _clusters.TryGetValue(name, out var c) ? c : throw new KeyNotFoundException($"KubeSim has no cluster named '{name}'");

    public static async Task<KubeSimServer> StartAsync(KubeSimOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new KubeSimOptions();
        if (!IPAddress.TryParse(options.BindAddress, out var bindAddress))
            throw new ArgumentException($"KubeSimOptions.BindAddress: '{options.BindAddress}' is not an IP address", nameof(options));
        if (Uri.CheckHostName(options.AdvertisedHost) == UriHostNameType.Unknown)
            throw new ArgumentException($"KubeSimOptions.AdvertisedHost: '{options.AdvertisedHost}' is not a host name or IP address", nameof(options));
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(bindAddress, options.Port, listen => listen.ServeHttp1AndPriorKnowledgeHttp2());
            k.AddServerHeader = false;
            // HTTP/2 requests carry :scheme http on the cleartext port (see CleartextHttp2).
            k.AllowAlternateSchemes = true;
            // As kube-apiserver (--http2-max-streams-per-connection, 1000 by default there; Kestrel's own is 100): a client
            // multiplexes all its clusters' watches here, and each stream past the limit would cost another connection.
            k.Limits.Http2.MaxStreamsPerConnection = 1000;
        });
        // Watches and hanging faults end on shutdown (they observe ApplicationStopping); don't wait long for stragglers.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var server = new KubeSimServer(app, options);
        var stopping = app.Lifetime.ApplicationStopping;
        var clusters = new ClusterRouter(server, stopping);
        var admin = new AdminEndpoints(server);
        app.Run(ctx => server.HandleAsync(ctx, clusters, admin));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Port = new Uri(address).Port;
        return server;
    }

    /// <summary>An IPv6 literal needs brackets in a URL.</summary>
    private static string UrlHost(string host) => Uri.CheckHostName(host) == UriHostNameType.IPv6 && !host.StartsWith('[') ? $"[{host}]" : host;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex ClusterName();

    /// <summary>
    /// Adds a cluster (before or while serving). Names are DNS labels: they become URL segments and kubeconfig contexts.
    /// Labels (e.g. region, tier) follow Kubernetes' label syntax and are shown by <c>GET /_kubesim/clusters</c>.
    /// </summary>
    public SimCluster AddCluster(string name, IReadOnlyDictionary<string, string>? labels = null)
    {
        if (name.Length > 63 || !ClusterName().IsMatch(name))
            throw new ArgumentException($"cluster name '{name}' must be a lowercase DNS label (a-z, 0-9, '-')", nameof(name));
        foreach (var (key, value) in labels ?? ClusterLabels.None)
            if (ClusterLabels.Error(key, value) is { } error) throw new ArgumentException($"cluster '{name}': {error}", nameof(labels));
        var cluster = new SimCluster(name, $"{BaseUrl}/clusters/{name}", Options, labels);
        if (!_clusters.TryAdd(name, cluster)) throw new ArgumentException($"cluster '{name}' already exists", nameof(name));
        return cluster;
    }

    public bool RemoveCluster(string name)
    {
        if (!_clusters.TryRemove(name, out var removed)) return false;
        removed.GarbageCollector.Dispose();
        return true;
    }

    public bool TryGetCluster(string name, out SimCluster cluster) => _clusters.TryGetValue(name, out cluster!);

    /// <summary>
    /// A kubeconfig with one context per cluster (context = cluster name, namespace default), token "kubesim" (cluster-admin
    /// under RBAC) unless <paramref name="token"/> gives another, e.g. a ServiceAccount's; <paramref name="clusters"/> limits it.
    /// </summary>
    public string BuildKubeconfig(string? currentContext = null, string? token = null, IReadOnlyCollection<SimCluster>? clusters = null) =>
        Kubeconfig.Build(clusters ?? Clusters, currentContext, token ?? Kubeconfig.UserName);

    public void WriteKubeconfig(string path, string? currentContext = null, string? token = null, IReadOnlyCollection<SimCluster>? clusters = null)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir != null) Directory.CreateDirectory(dir);
        File.WriteAllText(path, BuildKubeconfig(currentContext, token, clusters));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        foreach (var c in _clusters.Values) c.GarbageCollector.Dispose();
    }

    private async Task HandleAsync(HttpContext ctx, ClusterRouter clusters, AdminEndpoints admin)
    {
        var segments = (ctx.Request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        try
        {
            if (segments.Length > 0 && segments[0] == "clusters") await clusters.HandleAsync(ctx, segments);
            else if (segments.Length > 0 && segments[0] == "_kubesim") await admin.HandleAsync(ctx, segments);
            else throw new KubeApiException(404, "NotFound", "the server could not find the requested resource; cluster APIs live under /clusters/<name>");
        }
        catch (KubeApiException e) when (!ctx.Response.HasStarted)
        {
            await HttpIo.WriteErrorAsync(ctx, e);
        }
        catch (System.Text.Json.JsonException e) when (!ctx.Response.HasStarted)
        {
            await HttpIo.WriteErrorAsync(ctx, KubeApiException.BadRequest(e.Message));
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
    }
}
