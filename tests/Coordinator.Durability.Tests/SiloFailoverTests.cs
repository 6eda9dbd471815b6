using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Coordinator.Abstractions;
using Coordinator.Durability.Tests.Infrastructure;
using Coordinator.Testing;
using Coordinator.Grains;
using Coordinator.Grains.Rollouts;
using Coordinator.Kubernetes.Clusters;
using Coordinator.KubeSim.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace Coordinator.Durability.Tests;

/// <summary>
/// Two silos on Azurite run 100 rollouts (one per simulated cluster); the silo hosting most of them is
/// killed while they pause. Every rollout resumes on the survivor and completes, and each cluster's
/// events show every step exactly once and the canary weight only ever going up until promotion.
/// </summary>
public sealed class SiloFailoverTests
{
    private static readonly int Rollouts = int.TryParse(Environment.GetEnvironmentVariable("FAILOVER_ROLLOUTS"), out var n) ? n : 100;

    private static string Manifest(string pause) => Manifests.Rollout(
        steps: ["setWeight: 5", $"pause: {{ duration: {pause} }}", "setWeight: 20", "pause: { duration: 1s }", "setWeight: 80", "pause: { duration: 1s }", "setWeight: 100"],
        @namespace: "test");

    [Fact]
    public async Task Rollouts_of_a_killed_silo_resume_on_the_survivor_without_skipping_or_repeating_a_step()
    {
        await using var azurite = await Azurite.StartAsync();
        await using var sim = await KubeSimServer.StartAsync(new KubeSimOptions { PodReadyDelay = TimeSpan.FromMilliseconds(50) });
        var clusters = Enumerable.Range(1, Rollouts).Select(i => sim.AddCluster($"c{i:000}")).ToList();
        foreach (var cluster in clusters) cluster.LoadSeed();
        var definitions = clusters.Select(c => new ClusterDefinition { Name = c.Name, ServerUrl = new Uri(c.ServerUrl) }).ToList();

        var prefix = $"t{Guid.NewGuid():N}";
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddAzureTableGrainStorage(GrainStorageNames.Rollouts, o => { o.TableServiceClient = new TableServiceClient(azurite.ConnectionString); o.TableName = $"{prefix}grains"; });
            silo.UseAzureTableReminderService(o => { o.TableServiceClient = new TableServiceClient(azurite.ConnectionString); o.TableName = $"{prefix}reminders"; });
            silo.Services.AddKubernetesClusters(_ => definitions);
            silo.AddCoordinatorGrains();
        });
        await using var orleans = builder.Build();
        await orleans.DeployAsync();
        var grains = clusters.ToDictionary(c => c.Name, c => orleans.Client.GetGrain<IRolloutGrain>(new RolloutKey(c.Name, "test", "rollouts-demo").ToString()));

        await Task.WhenAll(clusters.Select(c => WaitUntilAsync(() => DeploymentAvailable(c), $"{c.Name}: seed Deployment available")));
        await Task.WhenAll(grains.Values.Select(g => g.Apply(Manifest("12s"))));
        await Task.WhenAll(grains.Values.Select(g => WaitForAsync(g, s => s.Phase == "Healthy" && s.StableHash != "")));

        // Each rollout is watched from its own update on: a slow machine may take seconds to update the hundred, and
        // the first ones' pauses must not pass unseen meanwhile. The silo is killed while every rollout pauses: one
        // still writing its steps when an in-process silo "dies" may go on for a moment (its tasks are not stopped).
        await Task.WhenAll(grains.Values.Select(async g =>
        {
            await g.SetImage("rollouts-demo", "argoproj/rollouts-demo:yellow");
            await WaitForAsync(g, s => s.Phase == "Paused" && s.CurrentStepIndex == 1);
        }));

        // Make the silo we kill (not the first: it hosts the test cluster's membership) the one with most rollouts.
        var victim = orleans.Silos[1];
        var placed = await RolloutActivationsAsync(orleans);
        var toMove = Rollouts * 3 / 4 - placed.Count(p => p.SiloAddress.Equals(victim.SiloAddress));
        var moved = placed.Where(p => !p.SiloAddress.Equals(victim.SiloAddress)).Take(Math.Max(0, toMove)).ToList();
        foreach (var activation in moved)
            await orleans.MigrateAsync(activation.GrainId, victim.SiloAddress);
        string Placement(SimCluster cluster) // for a failure message: where the cluster's rollout ran before the kill
        {
            var id = grains[cluster.Name].GetGrainId();
            return moved.Any(a => a.GrainId.Equals(id)) ? "moved to the victim"
                : placed.Any(a => a.GrainId.Equals(id) && a.SiloAddress.Equals(victim.SiloAddress)) ? "on the victim" : "on the survivor";
        }
        var onVictim = await CountActivationsAsync(orleans, victim.SiloAddress);

        Assert.True(onVictim > Rollouts / 2, $"only {onVictim} rollouts on the silo to kill");

        await orleans.KillSiloAsync(victim);

        await Task.WhenAll(grains.Values.Select(g => WaitForAsync(g, s => s.Phase == "Healthy" && s.Revision == 2 && s.StableHash == s.CurrentPodHash, TimeSpan.FromSeconds(90))));
        foreach (var cluster in clusters)
        {
            // The final 100/0 write (and its event) follows the promotion that made the rollout Healthy.
            await WaitUntilAsync(() => UpdateEvents(cluster).Any(m => m.EndsWith("desiredWeight '0'", StringComparison.Ordinal)), $"{cluster.Name}: traffic back to 100/0");
            var events = UpdateEvents(cluster);
            var steps = events.Select(m => Regex.Match(m, @"^Rollout step (\d)/7 completed")).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value)).ToList();
            Assert.True(steps.SequenceEqual([1, 2, 3, 4, 5, 6, 7]), $"{cluster.Name} ({Placement(cluster)}): steps {string.Join(",", steps)}\n{EventLog(cluster)}");
            var weights = events.Select(m => Regex.Match(m, @"set to desiredWeight '(\d+)'")).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value)).ToList();
            Assert.True(weights.SequenceEqual([5, 20, 80, 100, 0]), $"{cluster.Name} ({Placement(cluster)}): weights {string.Join(",", weights)}\n{EventLog(cluster)}");
        }
    }

    /// <summary>The messages of the Rollout's events in the cluster since the update to revision 2, oldest first.</summary>
    private static List<string> UpdateEvents(SimCluster cluster) =>
        cluster.List("events", "test")
            .Where(e => e["involvedObject"]?["kind"]?.GetValue<string>() == "Rollout")
            .OrderBy(e => long.Parse(e["metadata"]!["resourceVersion"]!.GetValue<string>()))
            .Select(e => e["message"]!.GetValue<string>())
            .SkipWhile(m => m != "Rollout updated to revision 2")
            .ToList();

    /// <summary>Every Event of the Rollout (its name ends with the sequence number of the activation's record), for a failure message.</summary>
    private static string EventLog(SimCluster cluster) =>
        string.Join("\n", cluster.List("events", "test")
            .Where(e => e["involvedObject"]?["kind"]?.GetValue<string>() == "Rollout")
            .OrderBy(e => long.Parse(e["metadata"]!["resourceVersion"]!.GetValue<string>()))
            .Select(e => $"{e["metadata"]!["resourceVersion"]} {e["metadata"]!["name"]} {e["firstTimestamp"]} {e["message"]}"));

    private static async Task<int> CountActivationsAsync(InProcessTestCluster orleans, SiloAddress silo) =>
        (await RolloutActivationsAsync(orleans)).Count(a => a.SiloAddress.Equals(silo));

    /// <summary>Where each rollout grain is active (grain types are reported as "Namespace.Type,Assembly").</summary>
    private static async Task<DetailedGrainStatistic[]> RolloutActivationsAsync(InProcessTestCluster orleans) =>
        (await orleans.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics())
            .Where(a => a.GrainType.StartsWith(typeof(RolloutGrain).FullName + ",", StringComparison.Ordinal))
            .ToArray();

    private static bool DeploymentAvailable(SimCluster cluster) =>
        cluster.Get("deployments", "test", "rollouts-demo")?["status"]?["availableReplicas"]?.GetValue<int>() == 1;

    private static async Task WaitForAsync(IRolloutGrain grain, Func<RolloutSnapshot, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        RolloutSnapshot? snapshot = null;
        while (snapshot is null || !condition(snapshot))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{snapshot?.Key}: {snapshot?.Phase} step {snapshot?.CurrentStepIndex} revision {snapshot?.Revision} {snapshot?.Message}");
            try
            {
                // Every change counts, not only the last of a batch: a state the test waits for (a pause) can be
                // followed by the next ones before a slow test process asks again.
                IReadOnlyList<RolloutSnapshot> changes = snapshot is null ? [await grain.Get()] : await grain.ChangesSince(snapshot.Version, TimeSpan.FromSeconds(1));
                snapshot = changes.FirstOrDefault(condition) ?? changes.LastOrDefault() ?? snapshot;
            }
            catch (Exception ex) when (ex is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException
                                           or Orleans.Runtime.Messaging.ConnectionFailedException)
            {
                // The grain's silo died (or the test client's gateway did, until the client drops it); the call is
                // retried and the grain comes back on the survivor.
                snapshot = null;
                await Task.Delay(100);
            }
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException(what);
            await Task.Delay(20);
        }
    }
}
