using Coordinator.Silo.Hosting;

namespace Coordinator.Silo.Tests.Observability;

/// <summary>
/// A new user's first commands on the embedded default: the silo banner's suggestion works exactly as printed, and an
/// error that happened in every cluster names each cluster and what happened there.
/// </summary>
public sealed class FirstRunTests(SiloFixture silo) : IClassFixture<SiloFixture>
{
    [Fact]
    public async Task The_banners_command_succeeds_on_the_embedded_default()
    {
        var words = CoordinatorApp.FirstRunCommand.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("rolloutctl", words[0]);
        // The relative path resolves as from the repository root: the test's output folder holds deploy/examples/seed/rollout.yaml.
        Assert.True(File.Exists(words[Array.IndexOf(words, "-f") + 1]), $"{words[Array.IndexOf(words, "-f") + 1]} is not in {Environment.CurrentDirectory}");

        var result = await silo.CliAsync(words[1..]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("rollout 'rollouts-demo' applied in dev, prod, staging\n", result.Stdout);
        var get = await silo.CliAsync("get", "rollout", "rollouts-demo", "-n", "test");
        Assert.True(get.ExitCode == 0, get.ToString());
    }

    [Fact]
    public async Task An_error_in_every_cluster_names_each_cluster_and_what_happened_there()
    {
        var result = await silo.CliAsync("promote", "no-such-rollout", "-n", "test");

        Assert.True(result.ExitCode != 0, result.ToString());
        var error = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^error: cluster dev: .*no-such-rollout.*; cluster prod: .*no-such-rollout.*; cluster staging: .*no-such-rollout.*$", error);
    }
}
