extern alias cli;
using System.Text.Json;
using cli::Coordinator.Grpc.V1;
using Grpc.Core;

namespace Coordinator.Silo.Tests.Fleet;

/// <summary>
/// A FleetRollout through the real silo and its three simulated clusters, driven with rolloutctl and gRPC: plan, apply,
/// get, watch until Completed, list; the waves run in order and every cluster ends on the new image.
/// </summary>
public sealed class FleetFlowTests(SiloFixture silo) : IClassFixture<SiloFixture>
{
    private const string Name = "flow-yellow";

    [Fact]
    public async Task Plan_apply_get_and_watch_a_fleet_rollout_through_its_waves_until_completed()
    {
        await FleetScenario.ApplyQuickSeedAsync(silo.Grpc);
        var file = Path.Combine(Path.GetTempPath(), $"fleet-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, FleetScenario.Fleet(Name));
        try
        {
            var plan = await silo.CliAsync("fleet", "plan", "-f", file);
            Assert.True(plan.ExitCode == 0, plan.ToString());
            Assert.Matches(@"(?m)^dev\s+dev\s+1\s+1s\s", plan.Stdout);
            Assert.Matches(@"(?m)^staging\s+staging\s+1\s+1s\s", plan.Stdout);
            Assert.Matches(@"(?m)^prod\s+prod\s+1\s+-\s", plan.Stdout);
            Assert.Equal("flow-yellow", FirstLineName(plan.Stdout));

            var apply = await silo.CliAsync("fleet", "apply", "-f", file);
            Assert.True(apply.ExitCode == 0, apply.ToString());
            Assert.StartsWith($"fleet rollout '{Name}' applied (run 1)\n", apply.Stdout);

            var get = await silo.CliAsync("fleet", "get", Name, "-o", "json");
            Assert.True(get.ExitCode == 0, get.ToString());
            using (var json = JsonDocument.Parse(get.Stdout))
            {
                var waves = json.RootElement.GetProperty("waves").EnumerateArray().ToList();
                Assert.Equal(["dev", "staging", "prod"], waves.Select(w => w.GetProperty("name").GetString()));
                Assert.Equal(["dev", "staging", "prod"], waves.Select(w => w.GetProperty("clusters")[0].GetProperty("cluster").GetString()));
                Assert.Equal("rollouts-demo=" + FleetScenario.Yellow, json.RootElement.GetProperty("change").GetString());
            }

            var seen = await WatchUntilFinalAsync(Name);
            Assert.Equal("Completed", seen[^1].Phase);
            // Waves in order: a wave's cluster starts only after the previous wave's cluster is Healthy.
            var started = StartOrder(seen);
            Assert.Equal(["dev", "staging", "prod"], started);
            foreach (var cluster in new[] { "dev", "staging", "prod" })
                Assert.Equal(FleetScenario.Yellow, FleetScenario.ImageIn(silo.Fleet, cluster));

            var table = await silo.CliAsync("fleet", "get", Name);
            Assert.True(table.ExitCode == 0, table.ToString());
            Assert.Contains("Status:    ✔ Completed\n", table.Stdout);
            Assert.Matches(@"(?m)^prod\s+prod\s+✔ Healthy\s", table.Stdout);

            var list = await silo.CliAsync("fleet", "list");
            Assert.Matches($@"(?m)^{Name}\s+✔ Completed\s+1\s+prod\s+3/3\s", list.Stdout);

            // Deleting it ends a watch on it, and it is gone from the list; the clusters keep what they run.
            using var watch = silo.Fleets.WatchFleetRollout(new FleetRolloutRequest { Name = Name }, deadline: DateTime.UtcNow.AddSeconds(30));
            Assert.True(await watch.ResponseStream.MoveNext());
            var delete = await silo.CliAsync("fleet", "delete", Name);
            Assert.True(delete.ExitCode == 0, delete.ToString());
            while (await watch.ResponseStream.MoveNext()) Assert.Equal(Name, watch.ResponseStream.Current.Name);
            Assert.DoesNotContain(Name, (await silo.CliAsync("fleet", "list")).Stdout);
            Assert.Equal(FleetScenario.Yellow, FleetScenario.ImageIn(silo.Fleet, "prod"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Every reply of WatchFleetRollout until the run has ended, with a deadline.</summary>
    private async Task<List<FleetRolloutReply>> WatchUntilFinalAsync(string name)
    {
        using var call = silo.Fleets.WatchFleetRollout(new FleetRolloutRequest { Name = name }, deadline: DateTime.UtcNow.AddSeconds(90));
        var seen = new List<FleetRolloutReply>();
        while (await call.ResponseStream.MoveNext())
        {
            seen.Add(call.ResponseStream.Current);
            if (seen[^1].Phase is "Completed" or "Failed" or "Aborted" or "Reverted") return seen;
        }
        throw new InvalidOperationException("the watch ended before the run did");
    }

    /// <summary>The clusters in the order they left Pending, checking each started after every earlier one was Healthy.</summary>
    private static List<string> StartOrder(IEnumerable<FleetRolloutReply> replies)
    {
        var order = new List<string>();
        foreach (var reply in replies)
        {
            var clusters = reply.Waves.SelectMany(w => w.Clusters).ToList();
            foreach (var c in clusters.Where(c => c.State != "Pending" && !order.Contains(c.Cluster)))
            {
                Assert.All(clusters.Where(o => order.Contains(o.Cluster)), o => Assert.Equal("Healthy", o.State));
                order.Add(c.Cluster);
            }
        }
        return order;
    }

    private static string FirstLineName(string text) => text[(text.IndexOf('\'') + 1)..text.IndexOf('\'', text.IndexOf('\'') + 1)];
}
