using System.Net;
using System.Net.Sockets;
using Coordinator.KubeSim.Hosting;
using k8s;

namespace Coordinator.KubeSim.Tests;

/// <summary><c>--bind</c> / <c>--advertise-host</c>: KubeSim in a container listens beyond loopback and writes a reachable host into URLs.</summary>
public sealed class BindAddressTests
{
    [Fact]
    public void Defaults_are_loopback()
    {
        var parsed = CommandLine.Parse(["--clusters", "dev"], out var error);
        Assert.Null(error);
        Assert.Equal("127.0.0.1", parsed!.BindAddress);
        Assert.Equal("127.0.0.1", parsed.AdvertisedHost);
        var options = new KubeSimOptions();
        Assert.Equal("127.0.0.1", options.BindAddress);
        Assert.Equal("127.0.0.1", options.AdvertisedHost);
    }

    [Theory]
    [InlineData(new[] { "--clusters", "dev", "--bind", "0.0.0.0", "--advertise-host", "kubesim" }, "0.0.0.0", "kubesim")]
    [InlineData(new[] { "--clusters", "dev", "--bind=0.0.0.0" }, "0.0.0.0", "127.0.0.1")]
    [InlineData(new[] { "--clusters", "dev", "--bind", "::" }, "::", "127.0.0.1")]
    [InlineData(new[] { "--clusters", "dev", "--bind", "10.1.2.3" }, "10.1.2.3", "10.1.2.3")]
    [InlineData(new[] { "--clusters", "dev", "--advertise-host=kubesim.fleet.svc" }, "127.0.0.1", "kubesim.fleet.svc")]
    public void Bind_and_advertise_flags_parse(string[] args, string bind, string advertised)
    {
        var parsed = CommandLine.Parse(args, out var error);
        Assert.Null(error);
        Assert.Equal(bind, parsed!.BindAddress);
        Assert.Equal(advertised, parsed.AdvertisedHost);
    }

    [Theory]
    [InlineData(new[] { "--clusters", "dev", "--bind" }, "--bind needs an IP address")]
    [InlineData(new[] { "--clusters", "dev", "--bind", "kubesim" }, "--bind needs an IP address")]
    [InlineData(new[] { "--clusters", "dev", "--advertise-host" }, "--advertise-host needs")]
    [InlineData(new[] { "--clusters", "dev", "--advertise-host", "not a host" }, "--advertise-host needs")]
    public async Task Bad_bind_or_advertise_values_name_the_flag_and_exit_2(string[] args, string message)
    {
        var stderr = new StringWriter();
        var code = await KubeSimProgram.RunAsync(args, new StringWriter(), stderr, CancellationToken.None);
        Assert.Equal(2, code);
        Assert.Contains(message, stderr.ToString());
    }

    [Fact]
    public async Task Advertised_host_goes_into_urls_and_kubeconfig_and_the_listener_serves_every_interface()
    {
        await using var server = await KubeSimServer.StartAsync(new KubeSimOptions { BindAddress = "0.0.0.0", AdvertisedHost = "kubesim" });
        var dev = server.AddCluster("dev");
        Assert.Equal($"http://kubesim:{server.Port}", server.BaseUrl);
        Assert.Equal($"http://kubesim:{server.Port}/clusters/dev", dev.ServerUrl);
        Assert.Contains($"server: http://kubesim:{server.Port}/clusters/dev", server.BuildKubeconfig());

        // Reachable on loopback (covered by 0.0.0.0) and, when the machine has one, on a non-loopback IPv4 address.
        foreach (var ip in new[] { IPAddress.Loopback }.Concat(NonLoopbackIPv4().Take(1)))
        {
            using var client = new Kubernetes(new KubernetesClientConfiguration { Host = $"http://{ip}:{server.Port}/clusters/dev" });
            var namespaces = await client.CoreV1.ListNamespaceAsync();
            Assert.Contains(namespaces.Items, n => n.Metadata.Name == "default");
        }
    }

    [Fact]
    public async Task Default_listener_is_loopback_only()
    {
        await using var server = await KubeSimServer.StartAsync(new KubeSimOptions());
        Assert.Equal($"http://127.0.0.1:{server.Port}", server.BaseUrl);
        var other = NonLoopbackIPv4().FirstOrDefault();
        if (other == null) return; // No other interface to probe on this machine.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAnyAsync<SocketException>(() => socket.ConnectAsync(other, server.Port).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Invalid_bind_address_is_refused_with_the_option_name()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => KubeSimServer.StartAsync(new KubeSimOptions { BindAddress = "kubesim" }));
        Assert.Contains("BindAddress", e.Message);
    }

    [Fact]
    public async Task Program_with_bind_and_advertise_host_prints_advertised_urls()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kubesim-bind-{Guid.NewGuid():N}.yaml");
        var stdout = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = KubeSimProgram.RunAsync(["--clusters", "dev", "--bind", "0.0.0.0", "--advertise-host", "kubesim", "--kubeconfig", path],
            TextWriter.Synchronized(stdout), new StringWriter(), stop.Token);
        try
        {
            await Support.Eventually.TrueAsync(() => stdout.ToString().Contains("kubeconfig written"), "program started");
            Assert.Matches("dev http://kubesim:[0-9]+/clusters/dev", stdout.ToString());
            Assert.Matches("server: http://kubesim:[0-9]+/clusters/dev", File.ReadAllText(path));
        }
        finally
        {
            stop.Cancel();
            Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(20)));
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Program_process_serves_beyond_loopback_and_exits_on_sigterm_like_docker_stop()
    {
        if (OperatingSystem.IsWindows()) return; // SIGTERM is a Unix signal.
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "Coordinator.KubeSim.dll"), "--clusters", "dev", "--port", "0", "--bind", "0.0.0.0", "--advertise-host", "kubesim" })
            psi.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(psi)!;
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            var match = System.Text.RegularExpressions.Regex.Match(line ?? "", "^dev http://kubesim:([0-9]+)/clusters/dev$");
            Assert.True(match.Success, $"first line: {line}");
            using var client = new Kubernetes(new KubernetesClientConfiguration { Host = $"http://127.0.0.1:{match.Groups[1].Value}/clusters/dev" });
            Assert.NotEmpty((await client.CoreV1.ListNamespaceAsync()).Items);

            using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
                await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(timeout.Token); // before the server watched its own stop, SIGTERM left it running
            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    private static IEnumerable<IPAddress> NonLoopbackIPv4() =>
        System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
}
