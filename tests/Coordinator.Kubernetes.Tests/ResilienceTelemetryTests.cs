using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Coordinator.Kubernetes.Clusters;
using Coordinator.KubeSim.Faults;
using Coordinator.KubeSim.Hosting;
using Coordinator.Testing;
using k8s;
using Microsoft.Extensions.Logging;

namespace Coordinator.Kubernetes.Tests;

/// <summary>What an operator sees of the resilience pipeline: retries in the log with the cluster, and on the Polly meter.</summary>
public sealed class ResilienceTelemetryTests
{
    [Fact]
    public async Task A_retry_is_logged_with_its_cluster_and_counted_on_the_Polly_meter()
    {
        await using var sim = await KubeSimServer.StartAsync(new KubeSimOptions { PodReadyDelay = TimeSpan.FromMilliseconds(20) });
        var cluster = sim.AddCluster("telemetry-a");
        cluster.LoadSeed();
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var retries = new ConcurrentQueue<string>();
        using var meter = new MeterListener();
        meter.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Polly") listener.EnableMeasurementEvents(instrument);
        };
        meter.SetMeasurementEventCallback<int>((instrument, _, tags, _) =>
        {
            var tagged = tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString());
            if (tagged.GetValueOrDefault("event.name") == "OnRetry") retries.Enqueue(tagged.GetValueOrDefault("pipeline.instance") ?? "");
        });
        meter.Start();
        using var registry = new ClusterRegistry([new ClusterDefinition { Name = cluster.Name, ServerUrl = new Uri(cluster.ServerUrl) }], loggerFactory: loggerFactory);
        cluster.Faults.AddScripted(new ScriptedFault("get", "services", "test", "rollouts-demo", 503));

        await registry.Client(cluster.Name).CoreV1.ReadNamespacedServiceAsync("rollouts-demo", "test");

        Assert.Contains("telemetry-a", retries);
        var retry = Assert.Single(logs.Entries, e => e.Category.StartsWith("Polly", StringComparison.Ordinal) && e.Message.Contains("OnRetry", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, retry.Level);
        Assert.Equal("telemetry-a", retry.Scope.GetValueOrDefault("Cluster")?.ToString());
    }
}
