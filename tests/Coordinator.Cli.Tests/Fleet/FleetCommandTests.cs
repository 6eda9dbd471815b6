using Coordinator.Cli.Tests.Fakes;
using Coordinator.Grpc.V1;
using Grpc.Core;

namespace Coordinator.Cli.Tests.Fleet;

/// <summary><c>rolloutctl fleet ...</c>: what each command sends and prints, against a scripted coordinator.</summary>
public sealed class FleetCommandTests : IAsyncLifetime
{
    private FakeCoordinator _server = null!;

    private FakeFleetRollouts Fleets => _server.Fleets;

    public async Task InitializeAsync() => _server = await FakeCoordinator.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Apply_sends_the_file_as_written_and_prints_the_run_and_why_it_waits()
    {
        const string manifest = "apiVersion: coordinator.io/v1alpha1\nkind: FleetRollout\nmetadata: {name: demo-yellow}\n";

        var result = await CliRun.RunAsync(_server, TimeProvider.System, manifest, CancellationToken.None, "fleet", "apply", "-f", "-");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(manifest, Fleets.Single<ApplyFleetRolloutRequest>().Manifest);
        Assert.Equal("fleet rollout 'demo-yellow' applied (run 1)\nProgressing - wave staging: 0 of 1 clusters Healthy, 1 in progress (maxParallel 1)\n", result.Out);
    }

    [Theory]
    [InlineData("apply")]
    [InlineData("plan")]
    public async Task An_oversize_file_is_refused_naming_the_limit_without_a_call(string command)
    {
        var file = Path.GetTempFileName();
        try
        {
            await using (var stream = File.OpenWrite(file)) stream.SetLength(1_572_864);

            var result = await CliRun.RunAsync(_server, "fleet", command, "-f", file);

            Assert.Equal(1, result.ExitCode);
            Assert.Equal($"error: {file}: 1572864 bytes exceeds the limit of 1048576 bytes (the coordinator's default Coordinator:Limits:MaxManifestBytes)\n", result.Error);
            Assert.Empty(Fleets.Requests);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_refused_manifest_prints_the_field_and_exits_1()
    {
        Fleets.Failure = new RpcException(new Status(StatusCode.InvalidArgument, "manifest: spec.waves[1].maxParallel: must be at least 1"));

        var result = await CliRun.RunAsync(_server, TimeProvider.System, "kind: FleetRollout", CancellationToken.None, "fleet", "apply", "-f", "-");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: manifest: spec.waves[1].maxParallel: must be at least 1\n", result.Error);
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task An_unknown_fleet_is_reported_as_the_server_says()
    {
        Fleets.Failure = new RpcException(new Status(StatusCode.NotFound, "fleet rollout 'nope' not found"));

        var result = await CliRun.RunAsync(_server, "fleet", "get", "nope");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: fleet rollout 'nope' not found\n", result.Error);
    }

    [Fact]
    public async Task Approve_sends_the_wave_when_given()
    {
        var result = await CliRun.RunAsync(_server, "fleet", "approve", "demo-yellow", "--wave", "prod");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("fleet rollout 'demo-yellow' wave 'prod' approved\n", result.Out);
        var request = Fleets.Single<ApproveFleetRolloutRequest>();
        Assert.Equal(("demo-yellow", "prod"), (request.Name, request.Wave));
    }

    [Fact]
    public async Task Approve_without_a_wave_approves_the_waiting_one()
    {
        var result = await CliRun.RunAsync(_server, "fleet", "approve", "demo-yellow");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("fleet rollout 'demo-yellow' approved\n", result.Out);
        Assert.Equal("", Fleets.Single<ApproveFleetRolloutRequest>().Wave);
    }

    [Theory]
    [InlineData(false, "fleet rollout 'demo-yellow' aborted\n")]
    [InlineData(true, "fleet rollout 'demo-yellow' aborted, reverting\n")]
    public async Task Abort_sends_the_revert_flag(bool revert, string expected)
    {
        string[] args = revert ? ["fleet", "abort", "demo-yellow", "--revert"] : ["fleet", "abort", "demo-yellow"];

        var result = await CliRun.RunAsync(_server, args);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith(expected, result.Out);
        var request = Fleets.Single<AbortFleetRolloutRequest>();
        Assert.Equal(("demo-yellow", revert), (request.Name, request.Revert));
    }

    [Theory]
    [InlineData("halt", "halted")]
    [InlineData("resume", "resumed")]
    [InlineData("revert", "reverting")]
    [InlineData("delete", "deleted")]
    public async Task Commands_on_a_name_send_it_and_print_the_state_after(string command, string done)
    {
        Fleets.Reply = FleetSeed.Halted();

        var result = await CliRun.RunAsync(_server, "fleet", command, "demo-yellow");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"fleet rollout 'demo-yellow' {done}\nHalted - wave staging: failure budget 0 spent (1 failed): halted\n", result.Out);
        Assert.Equal("demo-yellow", Fleets.Single<FleetRolloutRequest>().Name);
    }

    [Fact]
    public async Task Help_lists_the_fleet_commands()
    {
        var root = await CliRun.RunPlainAsync("--help");
        var fleet = await CliRun.RunPlainAsync("fleet", "--help");

        Assert.Contains("fleet", root.Out);
        foreach (var command in new[] { "apply", "plan", "get", "list", "approve", "halt", "resume", "abort", "revert", "delete" })
            Assert.Matches($@"(?m)^\s+{command}\s", fleet.Out);
    }

    [Theory]
    [InlineData("get", "demo-yellow", "--cluster", "prod")]
    [InlineData("approve", "demo-yellow", "-n", "test")]
    [InlineData("list", "--selector", "env=prod")]
    public async Task Rollout_targeting_options_are_refused_without_a_call(params string[] args)
    {
        var result = await CliRun.RunAsync(_server, ["fleet", .. args]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: fleet commands take no --namespace, --cluster or --selector", result.Error);
        Assert.Empty(Fleets.Requests);
    }

    [Theory]
    [InlineData("fleet", "get")]
    [InlineData("fleet", "get", "demo-yellow", "-o", "yaml")]
    [InlineData("fleet", "apply")]
    public async Task Usage_errors_exit_2(params string[] args)
    {
        var result = await CliRun.RunPlainAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.Error);
    }
}
