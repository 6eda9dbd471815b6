using Coordinator.Cli.Tests.Fakes;
using Coordinator.Grpc.V1;

namespace Coordinator.Cli.Tests.Commands;

/// <summary><c>apply</c> refuses a manifest over the coordinator's 1 MiB limit itself, before reading it whole or sending it.</summary>
public sealed class ApplyLimitTests : IAsyncLifetime
{
    private const string Limit = "exceeds the limit of 1048576 bytes (the coordinator's default Coordinator:Limits:MaxManifestBytes)";

    private FakeCoordinator _server = null!;

    public async Task InitializeAsync() => _server = await FakeCoordinator.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_oversize_file_is_refused_naming_the_limit_without_a_call()
    {
        var file = Path.GetTempFileName();
        try
        {
            // Sparse: the file's size is what is checked, so nothing needs writing.
            await using (var stream = File.OpenWrite(file)) stream.SetLength(1_572_864);

            var result = await CliRun.RunAsync(_server, "apply", "-f", file);

            Assert.Equal(1, result.ExitCode);
            Assert.Equal($"error: {file}: 1572864 bytes {Limit}\n", result.Error);
            Assert.Empty(_server.Service.Requests);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Oversize_standard_input_is_refused_after_reading_no_more_than_the_limit()
    {
        var result = await CliRun.RunAsync(_server, TimeProvider.System, new string('#', 2_000_000), CancellationToken.None, "apply", "-f", "-");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: standard input: more than 1048576 bytes {Limit}\n", result.Error);
        Assert.Empty(_server.Service.Requests);
    }

    [Fact]
    public async Task A_manifest_of_exactly_the_limit_is_sent()
    {
        var manifest = "kind: Rollout\n#" + new string('x', 1024 * 1024 - 16) + "\n";

        var result = await CliRun.RunAsync(_server, TimeProvider.System, manifest, CancellationToken.None, "apply", "-f", "-");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(manifest, _server.Service.Single<ApplyRolloutRequest>().Manifest);
    }
}
