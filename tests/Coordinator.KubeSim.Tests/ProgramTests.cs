using Coordinator.KubeSim.Hosting;

namespace Coordinator.KubeSim.Tests;

public sealed class ProgramTests
{
    [Theory]
    [InlineData(new string[0], "--clusters is required")]
    [InlineData(new[] { "--clusters" }, "--clusters needs")]
    [InlineData(new[] { "--clusters", "Dev_1" }, "--clusters: 'Dev_1'")]
    [InlineData(new[] { "--clusters", "dev", "--port", "x" }, "--port must be an integer")]
    [InlineData(new[] { "--clusters", "dev", "--port", "70000" }, "--port must be an integer")]
    [InlineData(new[] { "--clusters", "dev", "--kubeconfig" }, "--kubeconfig needs")]
    [InlineData(new[] { "--clusters", "dev", "--bogus" }, "unknown flag '--bogus'")]
    [InlineData(new[] { "--clusters", "dev", "--rbac=yes" }, "--rbac takes no value")]
    public async Task Bad_arguments_name_the_flag_and_exit_2(string[] args, string message)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await KubeSimProgram.RunAsync(args, stdout, stderr, CancellationToken.None);
        Assert.Equal(2, code);
        Assert.Contains(message, stderr.ToString());
    }

    [Fact]
    public void Rbac_flag_turns_enforcement_on()
    {
        Assert.True(CommandLine.Parse(["--clusters", "dev", "--rbac"], out _)!.Rbac);
        Assert.False(CommandLine.Parse(["--clusters", "dev"], out _)!.Rbac);
    }

    [Fact]
    public void Good_arguments_parse()
    {
        var parsed = CommandLine.Parse(["--clusters", "dev,staging,prod", "--seed", "--kubeconfig", "/tmp/k.yaml", "--port=0"], out var error);
        Assert.Null(error);
        Assert.Equal(new[] { "dev", "staging", "prod" }, parsed!.Clusters);
        Assert.True(parsed.Seed);
        Assert.Equal("/tmp/k.yaml", parsed.KubeconfigPath);
    }

    [Fact]
    public async Task Program_starts_clusters_writes_kubeconfig_prints_urls_and_stops_on_cancel()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kubesim-{Guid.NewGuid():N}.yaml");
        var stdout = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = KubeSimProgram.RunAsync(["--clusters", "dev,prod", "--seed", "--kubeconfig", path], TextWriter.Synchronized(stdout), new StringWriter(), stop.Token);

        await Support.Eventually.TrueAsync(() => File.Exists(path) && stdout.ToString().Contains("prod http://127.0.0.1:"), "program started");
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^dev http://127.0.0.1:[0-9]+/clusters/dev$", lines[0].Trim());
        Assert.Contains("current-context: dev", File.ReadAllText(path));

        stop.Cancel();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(20)));
        File.Delete(path);
    }
}
