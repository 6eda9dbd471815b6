using Coordinator.Silo.Hosting;

namespace Coordinator.Silo.Tests.Observability;

/// <summary>The silo's banner suggests a command on the embedded default: it works exactly as printed.</summary>
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
}
