using System.Text.RegularExpressions;
using Coordinator.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Coordinator.Silo.Tests;

/// <summary>
/// The README's first command: the silo with <c>--demo</c> runs the seed's canary through the embedded fleet as a
/// FleetRollout, waves dev, staging and prod, and prints the waves moving until the run has completed.
/// </summary>
public sealed class DemoTests
{
    [Fact]
    public async Task Demo_runs_the_seed_change_as_a_fleet_rollout_wave_by_wave_until_completed()
    {
        var output = new SynchronizedWriter();
        var app = await SiloPorts.StartOnFreePortsAsync(ports => CoordinatorApp.BuildAsync(
        [
            "--demo", "--demo-pause", "1s",
            "--http-port", "0", "--grpc-port", "0", .. ports,
            "--Serilog:MinimumLevel:Default", "Warning",
        ], output));
        var images = new Dictionary<string, string>();
        try
        {
            await SiloFixture.WaitUntilAsync(() => output.Text.Contains("demo: every cluster serves yellow") || output.Text.Contains("demo: the fleet rollout ended"),
                "the demo finishes", TimeSpan.FromSeconds(120));
            var fleet = app.Services.GetRequiredService<EmbeddedFleet>().Server!;
            foreach (var cluster in fleet.Clusters) images[cluster.Name] = Fleet.FleetScenario.ImageIn(fleet, cluster.Name);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        var text = output.Text;
        Assert.True(text.Contains("demo: every cluster serves yellow"), text);
        Assert.Contains("demo: applying the seed Rollout to dev, prod, staging", text);
        Assert.Contains("demo: rolloutctl fleet apply -f deploy/examples/fleet/demo-yellow.yaml  (argoproj/rollouts-demo:yellow: waves dev, staging, prod; bake 1s)", text);
        Assert.Contains("fleet Completed: ", text);
        // The waves move in order: a wave's cluster starts only after the previous wave's cluster is Healthy.
        var devHealthy = Index(text, @"wave dev\s+cluster dev\s+Healthy ");
        var stagingStarts = Index(text, @"wave staging\s+cluster staging\s+(?!Pending)\w+");
        var stagingHealthy = Index(text, @"wave staging\s+cluster staging\s+Healthy ");
        var prodStarts = Index(text, @"wave prod\s+cluster prod\s+(?!Pending)\w+");
        Assert.True(devHealthy < stagingStarts && stagingStarts < stagingHealthy && stagingHealthy < prodStarts, text);
        foreach (var (wave, cluster) in new[] { ("dev", "dev"), ("staging", "staging"), ("prod", "prod") })
        {
            // One line per change with the wave, cluster, state, step, weight and traffic.
            Assert.Matches($@"wave {wave}\s+cluster {cluster}\s+\w+\s+step 1/7\s+weight\s+5\s+traffic: blue \d+ % yellow \d+ %", text);
            Assert.Matches($@"wave {wave}\s+cluster {cluster}\s+Healthy\s+step \S+\s+weight\s+\d+\s+traffic: yellow 100 %", text);
            Assert.Equal("argoproj/rollouts-demo:yellow", images[cluster]);
        }
    }

    private static int Index(string text, string pattern)
    {
        var match = Regex.Match(text, pattern);
        Assert.True(match.Success, $"no line matches {pattern} in:\n{text}");
        return match.Index;
    }

    /// <summary>The demo writes from a background service while the test reads.</summary>
    private sealed class SynchronizedWriter : StringWriter
    {
        private readonly object _gate = new();

        public string Text { get { lock (_gate) return ToString(); } }

        public override void Write(char value) { lock (_gate) base.Write(value); }

        public override void Write(string? value) { lock (_gate) base.Write(value); }

        public override void WriteLine(string? value) { lock (_gate) base.WriteLine(value); }

        public override void Write(char[] buffer, int index, int count) { lock (_gate) base.Write(buffer, index, count); }

        public override void Write(ReadOnlySpan<char> buffer) { lock (_gate) base.Write(buffer); }

        public override void Write(System.Text.StringBuilder? value) { lock (_gate) base.Write(value); }
    }
}
