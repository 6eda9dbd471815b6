using Coordinator.Silo.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Coordinator.Silo.Tests;

/// <summary>The README's first command: the silo with <c>--demo</c> runs the seed's canary through the embedded fleet.</summary>
public sealed class DemoTests
{
    [Fact]
    public async Task Demo_moves_every_cluster_from_blue_to_yellow_and_shows_the_traffic()
    {
        var output = new SynchronizedWriter();
        var app = await CoordinatorApp.BuildAsync(
        [
            "--demo", "--demo-pause", "2s",
            "--http-port", "0", "--grpc-port", "0", "--silo-port", SiloPorts.Free().ToString(), "--gateway-port", SiloPorts.Free().ToString(),
            "--Serilog:MinimumLevel:Default", "Warning",
        ], output);
        await app.StartAsync();
        try
        {
            await SiloFixture.WaitUntilAsync(() => output.Text.Contains("every cluster serves yellow"), "the demo finishes", TimeSpan.FromSeconds(90));
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        var text = output.Text;
        Assert.Contains("demo: applying the seed Rollout to dev, prod, staging", text);
        foreach (var cluster in new[] { "dev", "prod", "staging" })
        {
            // The traffic view is read when a line is printed, which on a busy machine may be after the next step began.
            Assert.Matches($@"{cluster}\s+Paused\s+step 1/7\s+weight\s+5\s+traffic: blue \d+ % yellow \d+ %", text);
            Assert.Matches(@"traffic: blue 95 % yellow 5 %", text);
            Assert.Matches($@"{cluster}\s+Healthy\s+step 7/7\s+weight 100\s+traffic: yellow 100 %", text);
        }
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
