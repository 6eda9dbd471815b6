using System.Diagnostics;
using Coordinator.KubeSim.Hosting;

namespace Coordinator.KubeSim.Tests.Support;

/// <summary>Output of one kubectl run.</summary>
public sealed record KubectlResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;
}

/// <summary>
/// Runs the installed kubectl against one simulated cluster, with its own kubeconfig and a fresh --cache-dir
/// (kubectl caches discovery), always with a timeout so a hang fails the test instead of blocking it.
/// </summary>
public sealed class Kubectl : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "kubesim-kubectl-" + Guid.NewGuid().ToString("N"));

    public Kubectl(KubeSimServer server, SimCluster cluster)
    {
        Directory.CreateDirectory(_dir);
        KubeconfigPath = Path.Combine(_dir, "kubeconfig.yaml");
        server.WriteKubeconfig(KubeconfigPath, currentContext: cluster.Name);
    }

    public string KubeconfigPath { get; }

    public static string SeedFile(string name) => Path.Combine(AppContext.BaseDirectory, "Seed", name);

    /// <summary>A new cluster holding the seed manifests, created with <c>kubectl -n test create -f</c>, its Deployment ready.</summary>
    public static async Task<(SimCluster Cluster, Kubectl Kubectl)> SeededClusterAsync(ServerFixture fixture, string prefix = "kubectl")
    {
        var cluster = fixture.NewCluster(prefix);
        var kubectl = new Kubectl(fixture.Server, cluster);
        foreach (var file in new[] { "services.yaml", "deployments.yaml", "virtualsvc.yaml" })
        {
            var created = await kubectl.RunAsync($"-n test create -f {SeedFile(file)}");
            Xunit.Assert.True(created.ExitCode == 0, created.Output);
        }
        await Eventually.TrueAsync(() => cluster.List("deploy", "test").Single()["status"]?["readyReplicas"]?.GetValue<long>() == 1, "seed deployment ready");
        return (cluster, kubectl);
    }

    public async Task<KubectlResult> RunAsync(string args, string? stdin = null, int timeoutSeconds = 60)
    {
        var psi = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin != null, UseShellExecute = false,
        };
        psi.ArgumentList.Add("--kubeconfig=" + KubeconfigPath);
        psi.ArgumentList.Add("--cache-dir=" + Path.Combine(_dir, "cache"));
        psi.ArgumentList.Add("--request-timeout=20s");
        foreach (var a in SplitArgs(args)) psi.ArgumentList.Add(a);
        psi.Environment.Remove("KUBECONFIG");
        using var process = Process.Start(psi)!;
        if (stdin != null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {args} did not finish in {timeoutSeconds}s");
        }
        return new KubectlResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Splits on spaces, keeping single-quoted parts (JSON patches) together.</summary>
    private static List<string> SplitArgs(string args)
    {
        var result = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var ch in args)
        {
            if (ch == '\'') quoted = !quoted;
            else if (ch == ' ' && !quoted)
            {
                if (current.Length > 0) result.Add(current.ToString());
                current.Clear();
            }
            else current.Append(ch);
        }
        if (current.Length > 0) result.Add(current.ToString());
        return result;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }
    }
}
