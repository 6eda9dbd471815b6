using Coordinator.Silo.Configuration;
using Coordinator.Silo.Hosting;

namespace Coordinator.Silo.Tests;

/// <summary>Files named on the command line are bounded before a library reads them, and limits that cannot work are refused at start.</summary>
public sealed class ConfigurationLimitsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("limits-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task An_oversize_config_file_is_refused_before_it_is_read()
    {
        var file = Path.Combine(_dir, "big.json");
        await using (var stream = File.OpenWrite(file)) stream.SetLength(UserFiles.MaxBytes + 1);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => CoordinatorApp.BuildAsync(["--config", file]));

        Assert.Equal($"--config: file '{file}' is {UserFiles.MaxBytes + 1} bytes, more than the limit of {UserFiles.MaxBytes} bytes", error.Message);
    }

    [Theory]
    [InlineData("deep", "nesting deeper than 64 levels at line 3 (Coordinator:Limits:MaxNestingDepth)")]
    [InlineData("aliases", "more than 100 YAML aliases at line 3 (Coordinator:Limits:MaxYamlAliases)")]
    public async Task A_hostile_kubeconfig_is_refused_before_KubernetesClient_reads_it(string shape, string message)
    {
        var file = Path.Combine(_dir, "kubeconfig");
        var hostile = shape == "deep"
            ? new string('[', 100_000) + new string(']', 100_000)
            : "[" + string.Join(",", Enumerable.Repeat("*x", 101)) + "]";
        await File.WriteAllTextAsync(file, $"apiVersion: v1\nx: &x 1\nextensions: {hostile}\n");

        var error = Assert.Throws<InvalidOperationException>(() =>
            ClusterConfiguration.FromOptions(new CoordinatorOptions { Kubeconfig = file }, _ => new Uri("http://127.0.0.1")));

        Assert.Equal($"--kubeconfig: kubeconfig '{file}': {message}", error.Message);
    }

    [Theory]
    [InlineData("--Coordinator:Limits:MaxSteps", "0", "Coordinator:Limits:MaxSteps must be greater than 0 (got 0)")]
    [InlineData("--Coordinator:Limits:MaxNestingDepth", "100000", "Coordinator:Limits:MaxNestingDepth (100000) must be at most 1000: deeper trees would let recursive JSON handling overflow the stack")]
    [InlineData("--Coordinator:Limits:MaxGrpcMessageBytes", "1048576", "Coordinator:Limits:MaxGrpcMessageBytes (1048576) must be at least Coordinator:Limits:MaxManifestBytes + 65536 bytes")]
    public async Task Limits_that_cannot_work_stop_the_silo_at_start(string key, string value, string message)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => CoordinatorApp.BuildAsync([key, value]));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task Kubernetes_call_timeouts_that_cannot_work_stop_the_silo_at_start()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => CoordinatorApp.BuildAsync(
            ["--Coordinator:Kubernetes:CallTimeout", "00:00:02", "--Coordinator:Kubernetes:AttemptTimeout", "00:00:05"]));

        Assert.Equal("Coordinator:Kubernetes:AttemptTimeout (00:00:05) must not exceed CallTimeout (00:00:02)", error.Message);
    }
}
