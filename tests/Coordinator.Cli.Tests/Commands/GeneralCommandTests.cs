using System.Net;
using System.Net.Sockets;
using Coordinator.Cli.Tests.Fakes;

namespace Coordinator.Cli.Tests.Commands;

public sealed class GeneralCommandTests
{
    [Fact]
    public async Task Coordinator_down_is_reported_with_its_address()
    {
        var url = $"http://127.0.0.1:{UnusedPort()}";

        var result = await CliRun.RunPlainAsync("get", "rollout", "demo", "--server", url);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: cannot reach the coordinator at {url}\n", result.Error);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("promote")]
    [InlineData("status", "demo", "--timeout", "soon")]
    [InlineData("get", "rollout", "demo", "--server", "not a url")]
    [InlineData("undo", "demo", "--to-revision", "-1")]
    public async Task Usage_errors_exit_2(params string[] args)
    {
        var result = await CliRun.RunPlainAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.Error);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task Help_exits_0()
    {
        var result = await CliRun.RunPlainAsync("--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("promote", result.Out);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
