using Coordinator.Silo.Hosting;

namespace Coordinator.Silo.Tests;

/// <summary>The silo reads <c>Coordinator:Orleans:Tls:*</c> when it builds: a bad certificate setting stops it before it serves, naming the setting.</summary>
public sealed class OrleansTlsSettingsTests
{
    // A real cluster entry (never contacted while building), so no embedded KubeSim is started.
    private static readonly string[] Fleet = ["--Coordinator:Clusters:0:Name", "prod", "--Coordinator:Clusters:0:Server", "https://127.0.0.1:1"];

    [Fact]
    public async Task A_certificate_file_that_does_not_exist_is_refused_naming_the_setting()
    {
        string[] args = [.. Fleet, "--Coordinator:Orleans:Tls:CertFile", "/nonexistent/tls.crt", "--Coordinator:Orleans:Tls:KeyFile", "/nonexistent/tls.key",
            "--Coordinator:Orleans:Tls:CaFile", "/nonexistent/ca.crt"];
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => CoordinatorApp.BuildAsync(args));
        Assert.Equal("Coordinator:Orleans:Tls:CertFile: file '/nonexistent/tls.crt' does not exist", error.Message);
    }

    [Fact]
    public async Task A_ca_without_a_certificate_is_refused_naming_the_missing_setting()
    {
        var ca = Path.GetTempFileName();
        try
        {
            string[] args = [.. Fleet, "--Coordinator:Orleans:Tls:CaFile", ca];
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => CoordinatorApp.BuildAsync(args));
            Assert.StartsWith("Coordinator:Orleans:Tls:CertFile must be set", error.Message);
        }
        finally
        {
            File.Delete(ca);
        }
    }
}
