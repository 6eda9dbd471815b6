using System.Diagnostics;
using Coordinator.Deploy.Tests.Support;
using Coordinator.KubeSim.Hosting;
using k8s;
using k8s.Models;

namespace Coordinator.Deploy.Tests;

/// <summary>
/// `kubectl apply` of the manifests against KubeSim (a fresh server and --cache-dir per test). KubeSim serves namespaces,
/// Deployments, ReplicaSets, Pods, Services, Events and Istio objects, not RBAC, ServiceAccounts, Secrets, ConfigMaps or
/// PodDisruptionBudgets: kubectl cannot validate those against it, so they are left to the parsing tests
/// (<see cref="SiloManifestTests"/>, <see cref="TargetClusterRbacTests"/>) and listed here so nothing is skipped silently.
/// </summary>
public sealed class KubectlApplyTests : IAsyncLifetime
{
    private static readonly HashSet<string> ServedByKubeSim = ["Namespace", "Deployment", "ReplicaSet", "Pod", "Service", "Event", "VirtualService", "DestinationRule"];
    private static readonly HashSet<string> LeftToParsing = ["ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding", "Secret", "ConfigMap", "PodDisruptionBudget", "NetworkPolicy"];

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "deploy-tests-" + Guid.NewGuid().ToString("N"));
    private KubeSimServer _server = null!;
    private SimCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _server = await KubeSimServer.StartAsync(new KubeSimOptions { PodReadyDelay = TimeSpan.FromMilliseconds(20) });
        _cluster = _server.AddCluster("hosting");
        _server.WriteKubeconfig(Path.Combine(_dir, "kubeconfig.yaml"), currentContext: _cluster.Name);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }
    }

    [Fact]
    public async Task Silo_manifests_apply_and_the_service_selects_the_deployments_pods()
    {
        var file = ServedDocuments(Manifests.SiloDir);

        var dryRun = await KubectlAsync($"apply --dry-run=server -f {file}");
        Assert.True(dryRun.ExitCode == 0, dryRun.Output);
        Assert.Contains("deployment.apps/coordinator created (server dry run)", dryRun.Output);
        Assert.Contains("service/coordinator created (server dry run)", dryRun.Output);

        var apply = await KubectlAsync($"apply -f {file}");
        Assert.True(apply.ExitCode == 0, apply.Output);
        Assert.Contains("namespace/coordinator", apply.Output);

        // KubeSim's controllers turn the Deployment into pods; the Service's selector must pick exactly those.
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = _cluster.ServerUrl });
        var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync("coordinator", "coordinator");
        var pods = await EventuallyAsync(
            () => client.CoreV1.ListNamespacedPodAsync("coordinator"),
            list => list.Items.Count == deployment.Spec.Replicas && list.Items.All(p => p.Status?.Phase == "Running"),
            "the silo pods");
        Assert.All(pods.Items, p =>
        {
            Assert.Equal("coordinator", p.Metadata.Labels["orleans/serviceId"]);
            Assert.Equal("coordinator", p.Metadata.Labels["orleans/clusterId"]);
        });
        var service = await client.CoreV1.ReadNamespacedServiceAsync("coordinator", "coordinator");
        var selector = string.Join(',', service.Spec.Selector.Select(kv => $"{kv.Key}={kv.Value}"));
        var selected = await client.CoreV1.ListNamespacedPodAsync("coordinator", labelSelector: selector);
        Assert.Equal(pods.Items.Select(p => p.Metadata.Name).Order(), selected.Items.Select(p => p.Metadata.Name).Order());

        // What Microsoft.Orleans.Hosting.Kubernetes lists to find the silos of its cluster.
        var orleans = await client.CoreV1.ListNamespacedPodAsync("coordinator", labelSelector: "orleans/serviceId=coordinator,orleans/clusterId=coordinator");
        Assert.Equal(pods.Items.Count, orleans.Items.Count);
    }

    [Fact]
    public async Task Target_cluster_rbac_namespace_applies_the_rest_is_beyond_kubesim()
    {
        var file = ServedDocuments(Manifests.TargetDir);
        var apply = await KubectlAsync($"apply --dry-run=server -f {file}");
        Assert.True(apply.ExitCode == 0, apply.Output);
        Assert.Contains("namespace/rollout-coordinator created (server dry run)", apply.Output);

        // The RBAC kinds really are unknown to KubeSim: kubectl refuses them (so this test would notice KubeSim learning them).
        var rbac = Path.Combine(_dir, "rbac-only.yaml");
        await File.WriteAllTextAsync(rbac, KubernetesYaml.SerializeAll(
            Manifests.LoadDir(Manifests.TargetDir).Where(o => o.Kind == "ClusterRole").Select(o => (object)o.Object)));
        var refused = await KubectlAsync($"apply --dry-run=server -f {rbac}");
        Assert.NotEqual(0, refused.ExitCode);
    }

    [Fact]
    public void Every_kind_is_either_applied_here_or_left_to_the_parsing_tests()
    {
        foreach (var o in Manifests.LoadTree("deploy/kubernetes"))
            Assert.True(ServedByKubeSim.Contains(o.Kind) || LeftToParsing.Contains(o.Kind), $"{o}: kind is neither applied against KubeSim nor covered by parsing tests");
    }

    /// <summary>The documents of a folder that KubeSim serves, in file order, as one YAML file.</summary>
    private string ServedDocuments(string dir)
    {
        var served = Manifests.LoadDir(dir).Where(o => ServedByKubeSim.Contains(o.Kind)).Select(o => (object)o.Object).ToList();
        Assert.NotEmpty(served);
        var path = Path.Combine(_dir, Path.GetFileName(dir) + ".yaml");
        File.WriteAllText(path, KubernetesYaml.SerializeAll(served));
        return path;
    }

    private sealed record Result(int ExitCode, string Output);

    private async Task<Result> KubectlAsync(string args)
    {
        var psi = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("--kubeconfig=" + Path.Combine(_dir, "kubeconfig.yaml"));
        psi.ArgumentList.Add("--cache-dir=" + Path.Combine(_dir, "cache"));
        psi.ArgumentList.Add("--request-timeout=20s");
        foreach (var a in args.Split(' ', StringSplitOptions.RemoveEmptyEntries)) psi.ArgumentList.Add(a);
        psi.Environment.Remove("KUBECONFIG");
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {args} did not finish in 60 s");
        }
        return new Result(process.ExitCode, await stdout + await stderr);
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }
}
