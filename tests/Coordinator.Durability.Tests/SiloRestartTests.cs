using Azure.Data.Tables;
using Coordinator.Durability.Tests.Infrastructure;
using Coordinator.Testing;
using Coordinator.Grpc.V1;
using Coordinator.KubeSim.Hosting;
using Grpc.Net.Client;
using Xunit.Abstractions;

namespace Coordinator.Durability.Tests;

/// <summary>
/// A rollout in the middle of a 20 s pause survives a restart of the silo process: grain state and the
/// reminder are read back from Azure Table storage (Azurite), and the pause ends on time.
/// </summary>
public sealed class SiloRestartTests(ITestOutputHelper output)
{
    private static readonly string Manifest = Manifests.Rollout(
        steps: ["setWeight: 50", "pause: { duration: 20s }", "setWeight: 100"], @namespace: "test");

    /// <remarks>Tried a second time from scratch when the first attempt fails (<see cref="SecondAttempt"/>).</remarks>
    [Fact]
    public Task A_pause_ends_on_time_after_the_silo_process_is_killed_and_started_again()
        => SecondAttempt.RunAsync(output, KillDuringPauseAndRestartAsync);

    private static async Task KillDuringPauseAndRestartAsync()
    {
        await using var azurite = await Azurite.StartAsync();
        await using var sim = await KubeSimServer.StartAsync(new KubeSimOptions { PodReadyDelay = TimeSpan.FromMilliseconds(50) });
        var cluster = sim.AddCluster("c1");
        cluster.LoadSeed();
        var prefix = $"t{Guid.NewGuid():N}";
        string[] args =
        [
            "--Coordinator:Storage:Provider", "AzureStorage",
            "--Coordinator:Storage:ConnectionString", azurite.ConnectionString,
            "--Coordinator:Storage:TablePrefix", prefix,
            "--Coordinator:Clustering", "AzureStorage",
            "--Coordinator:Clusters:0:Name", "c1",
            "--Coordinator:Clusters:0:Server", cluster.ServerUrl,
        ];
        var (first, ports) = await SiloProcess.StartOnFreePortsAsync(args);
        DateTimeOffset pauseEnd;
        using (var channel = GrpcChannel.ForAddress(first.GrpcUrl))
        {
            var client = new Rollouts.RolloutsClient(channel);
            await client.ApplyRolloutAsync(new ApplyRolloutRequest { Manifest = Manifest });
            var healthy = await WaitForAsync(client, r => r.Phase == "Healthy" && r.StableHash != "");
            await client.SetImageAsync(new SetImageRequest { Name = "rollouts-demo", Namespace = "test", Container = "rollouts-demo", Image = "argoproj/rollouts-demo:yellow" });
            var paused = await WaitForAsync(client, r => r.Phase == "Paused" && r.CurrentStepIndex == 1 && r.NextWakeAt is not null);
            pauseEnd = paused.NextWakeAt.ToDateTimeOffset();
            Assert.Equal((50, 50), Weights(cluster));
            Assert.True(pauseEnd - DateTimeOffset.UtcNow > TimeSpan.FromSeconds(10), "enough of the pause is left to restart the silo inside it");
        }

        await first.KillAsync();
        await using var second = await SiloProcess.StartAsync(ports, args);
        var ready = DateTimeOffset.UtcNow;

        // Nobody calls the new silo: only what it reads back from storage can wake the rollout (the reminder, or the
        // reactivation of the Rollouts once the killed process is declared dead).
        var weightsMoved = await WhenAsync(() => Weights(cluster) == (0, 100), TimeSpan.FromSeconds(40));
        Assert.True(weightsMoved >= pauseEnd - TimeSpan.FromMilliseconds(100), $"the pause ended early: {weightsMoved:O} < {pauseEnd:O}");
        // Issue 12's bound, counted from the pause's end or, if the new process was not ready by then, from when it was:
        // how long a process takes to start on a loaded CI machine is not what this test is about.
        var due = ready > pauseEnd ? ready : pauseEnd;
        Assert.True(weightsMoved - due < TimeSpan.FromSeconds(5),
            $"the pause ended {weightsMoved - pauseEnd} late (pause end {pauseEnd:HH:mm:ss.fff}, new silo ready {ready:HH:mm:ss.fff}); its log:\n{Tail(second.Output, 400)}");

        using (var channel = GrpcChannel.ForAddress(second.GrpcUrl))
        {
            var done = await WaitForAsync(new Rollouts.RolloutsClient(channel), r => r.Phase == "Healthy" && r.Revision == 2 && r.StableHash == r.CurrentPodHash);
            // Healthy comes with the promotion; the stable switch and the 100/0 write follow it (as in Argo).
            await WhenAsync(() => Weights(cluster) == (100, 0), TimeSpan.FromSeconds(10));
            Assert.Equal(done.StableHash, cluster.Get("services", "test", "rollouts-demo")!["spec"]!["selector"]!["rollouts-pod-template-hash"]!.GetValue<string>());
        }

        var tables = new TableServiceClient(azurite.ConnectionString);
        Assert.NotEmpty(tables.GetTableClient($"{prefix}grains").Query<TableEntity>().ToList());
        Assert.Contains(tables.GetTableClient($"{prefix}reminders").Query<TableEntity>(), e => e.GetString("ReminderName") == "wake");
    }

    private static string Tail(string text, int lines) => string.Join('\n', text.Split('\n').TakeLast(lines));

    private static (int Stable, int Canary) Weights(SimCluster cluster)
    {
        var route = cluster.Get("virtualservices.networking.istio.io", "test", "rollouts-demo")!["spec"]!["http"]![0]!["route"]!.AsArray();
        return (route[0]!["weight"]!.GetValue<int>(), route[1]!["weight"]!.GetValue<int>());
    }

    /// <summary>The first moment (polled every 10 ms) the condition holds.</summary>
    private static async Task<DateTimeOffset> WhenAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!condition())
        {
            if (DateTimeOffset.UtcNow > deadline) throw new TimeoutException("the condition never held");
            await Task.Delay(10);
        }
        return DateTimeOffset.UtcNow;
    }

    private static async Task<ClusterRollout> WaitForAsync(Rollouts.RolloutsClient client, Func<ClusterRollout, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var watch = client.WatchRollout(new RolloutRequest { Name = "rollouts-demo", Namespace = "test" }, cancellationToken: timeout.Token);
        ClusterRollout? last = null;
        while (await watch.ResponseStream.MoveNext(timeout.Token))
            foreach (var rollout in watch.ResponseStream.Current.Clusters)
            {
                last = rollout;
                if (condition(rollout)) return rollout;
            }
        throw new TimeoutException($"the rollout never reached the state; last: {last}");
    }
}
