using System.Diagnostics;
using System.Globalization;
using Coordinator.KubeSim.Hosting;
using k8s;

namespace Coordinator.Benchmarks.KubeSim;

/// <summary>N seeded clusters served somewhere on loopback, with one reused KubernetesClient per cluster.</summary>
internal abstract class SimHost : IAsyncDisposable
{
    public const string ClusterPrefix = "bench-";

    public List<Kubernetes> Clients { get; } = [];

    /// <summary>CPU time used by the server so far (for the in-process host: the whole process, client included).</summary>
    public abstract TimeSpan ServerCpu { get; }

    public abstract string Description { get; }

    /// <summary>CPU time the server's JIT has used so far (for the in-process host: the whole process's compilation time).</summary>
    public abstract TimeSpan ServerJitTime { get; }

    protected void AddClient(string serverUrl) => Clients.Add(new Kubernetes(new KubernetesClientConfiguration { Host = serverUrl }));

    /// <summary>Waits until every cluster's Deployment reports its pod ready (controllers settled after seeding).</summary>
    protected async Task WaitForSeedReadyAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        for (var i = 0; i < Clients.Count; i++)
        {
            while (true)
            {
                var d = await Clients[i].AppsV1.ReadNamespacedDeploymentAsync(LoadGenerator.Name, LoadGenerator.Namespace);
                if (d.Status?.ReadyReplicas == d.Spec.Replicas) break;
                if (deadline.Elapsed > timeout) throw new TimeoutException($"cluster {i + 1}: deployment not ready after {timeout}");
                await Task.Delay(50);
            }
        }
    }

    public virtual ValueTask DisposeAsync()
    {
        foreach (var c in Clients) c.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>KubeSim as a child process (<c>dotnet Coordinator.KubeSim.dll --cluster-count N --seed</c>), the normal way to run it.</summary>
internal sealed class ChildProcessHost : SimHost
{
    private readonly Process _process;
    private readonly Dictionary<int, long> _jitTicks = [];
    private long _jitTicksTotal;

    private ChildProcessHost(Process process) => _process = process;

    public override TimeSpan ServerCpu
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public override string Description => $"separate process (pid {_process.Id})";

    /// <summary>
    /// CPU time of the child's tiered-compilation threads (Linux /proc; zero elsewhere), where hot code is re-JITted.
    /// The runtime ends that thread when it is idle and starts a new one later, so each thread's time is added up by id.
    /// </summary>
    public override TimeSpan ServerJitTime
    {
        get
        {
            lock (_jitTicks)
            {
                try
                {
                    foreach (var task in Directory.EnumerateDirectories($"/proc/{_process.Id}/task"))
                    {
                        if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered Com", StringComparison.Ordinal)) continue;
                        // After the parenthesized name: state is field 3, utime and stime fields 14 and 15.
                        var stat = File.ReadAllText(Path.Combine(task, "stat"));
                        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                        var tid = int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture);
                        _jitTicksTotal += ticks - _jitTicks.GetValueOrDefault(tid);
                        _jitTicks[tid] = ticks;
                    }
                }
                catch (IOException)
                {
                    // No /proc (not Linux), or a thread ended between listing and reading: count what was read.
                }
                // USER_HZ is 100 on Linux.
                return TimeSpan.FromMilliseconds(_jitTicksTotal * 10);
            }
        }
    }

    public static string DefaultServerDll() => Path.Combine(AppContext.BaseDirectory, "Coordinator.KubeSim.dll");

    /// <param name="explicitNames">Pass --clusters bench-1,...,bench-N instead of --cluster-count (for KubeSim builds without it).</param>
    public static async Task<ChildProcessHost> StartAsync(string dll, int clusters, bool explicitNames)
    {
        if (!File.Exists(dll)) throw new FileNotFoundException($"KubeSim program not found at {dll} (use --server-dll)", dll);
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var count = clusters.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] clusterArgs = explicitNames
            ? ["--clusters", string.Join(',', Enumerable.Range(1, clusters).Select(i => ClusterPrefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture)))]
            : ["--cluster-count", count, "--cluster-prefix", ClusterPrefix];
        foreach (var a in (string[])[dll, .. clusterArgs, "--seed", "--port", "0"]) psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        var host = new ChildProcessHost(process);
        try
        {
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data != null) Console.Error.WriteLine($"  [kubesim] {e.Data}");
            };
            process.BeginErrorReadLine();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while (host.Clients.Count < clusters)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new InvalidOperationException($"KubeSim exited early (code {(process.HasExited ? process.ExitCode : -1)})");
                var parts = line.Split(' ');
                if (parts.Length == 2 && parts[0].StartsWith(ClusterPrefix, StringComparison.Ordinal)) host.AddClient(parts[1]);
            }
            // Keep draining stdout so the child never blocks on a full pipe.
            _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
            await host.WaitForSeedReadyAsync(TimeSpan.FromMinutes(2));
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}

/// <summary>KubeSim inside the benchmark process: client and server share the runtime (workstation GC).</summary>
internal sealed class InProcessHost : SimHost
{
    private readonly KubeSimServer _server;

    private InProcessHost(KubeSimServer server) => _server = server;

    public override TimeSpan ServerCpu => Process.GetCurrentProcess().TotalProcessorTime;

    public override string Description => "in process";

    public override TimeSpan ServerJitTime => System.Runtime.JitInfo.GetCompilationTime();

    public static async Task<InProcessHost> StartAsync(int clusters)
    {
        var server = await KubeSimServer.StartAsync(new KubeSimOptions { Port = 0 });
        var host = new InProcessHost(server);
        for (var i = 1; i <= clusters; i++)
        {
            var cluster = server.AddCluster(ClusterPrefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            cluster.LoadSeed();
            host.AddClient(cluster.ServerUrl);
        }
        foreach (var c in server.Clusters) await c.WhenControllersIdleAsync();
        await host.WaitForSeedReadyAsync(TimeSpan.FromMinutes(2));
        return host;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _server.DisposeAsync();
    }
}
