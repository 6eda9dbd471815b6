using Coordinator.Domain.Actions;
using Coordinator.Domain.Ports;
using Coordinator.Kubernetes.Clusters;
using Coordinator.Kubernetes.Rollouts;
using Coordinator.Kubernetes.Watching;
using Coordinator.KubeSim.Hosting;
using Coordinator.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coordinator.Kubernetes.Tests;

/// <summary>
/// A Rollout's Events against KubeSim over real HTTP: each is named by its number in the Rollout's history, so a
/// successor that sends again an Event its crashed predecessor already wrote leaves one Event in the cluster.
/// </summary>
public sealed class RolloutEventWriterTests : IAsyncLifetime
{
    private const string Ns = "test";
    private KubeSimServer _sim = null!;
    private SimCluster _cluster = null!;
    private ClusterRegistry _registry = null!;
    private ClusterChangeHub _hub = null!;
    private KubernetesClusterGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _sim = await KubeSimServer.StartAsync(new KubeSimOptions());
        _cluster = _sim.AddCluster("c1");
        _cluster.LoadSeed();
        _registry = new ClusterRegistry([new ClusterDefinition { Name = "c1", ServerUrl = new Uri(_cluster.ServerUrl) }]);
        _hub = new ClusterChangeHub(_registry, TimeProvider.System, NullLogger<ClusterChangeHub>.Instance);
        _gateway = new KubernetesClusterGateway(_registry, _hub, new ApiCallCounter(), TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        _registry.Dispose();
        await _sim.DisposeAsync();
    }

    [Fact]
    public async Task An_event_sent_again_under_its_number_is_written_once()
    {
        var target = new RolloutTarget("c1", Ns, "rollouts-demo", "0b7c6d3e-1111-2222-3333-444455556666");
        var step = RolloutEvents.StepCompleted(1, 7, "setWeight: 5");

        await _gateway.SendEventAsync(target, step, 41, CancellationToken.None);
        await _gateway.SendEventAsync(target, step, 41, CancellationToken.None); // the successor's resend
        await _gateway.SendEventAsync(target, RolloutEvents.StepCompleted(2, 7, "pause: 2s"), 42, CancellationToken.None);

        var events = EventsOf(target.Name);
        Assert.Equal(["Rollout step 1/7 completed (setWeight: 5)", "Rollout step 2/7 completed (pause: 2s)"], events.Select(e => e.Message));
        Assert.Equal(["rollouts-demo.0b7c6d3e29", "rollouts-demo.0b7c6d3e2a"], events.Select(e => e.Name));
    }

    [Fact]
    public async Task The_same_number_of_another_rollout_incarnation_is_another_event()
    {
        var first = new RolloutTarget("c1", Ns, "rollouts-demo", "aaaaaaaa-0000-0000-0000-000000000000");
        var recreated = first with { Uid = "bbbbbbbb-0000-0000-0000-000000000000" };

        await _gateway.SendEventAsync(first, RolloutEvents.RolloutUpdated(1), 0, CancellationToken.None);
        await _gateway.SendEventAsync(recreated, RolloutEvents.RolloutUpdated(1), 0, CancellationToken.None);

        Assert.Equal(2, EventsOf(first.Name).Count);
    }

    [Fact]
    public void A_long_rollout_name_keeps_the_event_name_a_valid_object_name()
    {
        var target = new RolloutTarget("c1", Ns, new string('r', 253), "cccccccc-0000-0000-0000-000000000000");

        var name = RolloutEventWriter.Name(target, long.MaxValue);

        Assert.Equal(253, name.Length);
        Assert.EndsWith(".cccccccc7fffffffffffffff", name, StringComparison.Ordinal);
    }

    private List<(string Name, string Message)> EventsOf(string rollout) =>
        _cluster.List("events", Ns)
            .Where(e => e["involvedObject"]?["kind"]?.GetValue<string>() == "Rollout" && e["involvedObject"]?["name"]?.GetValue<string>() == rollout)
            .OrderBy(e => long.Parse(e["metadata"]!["resourceVersion"]!.GetValue<string>()))
            .Select(e => (e["metadata"]!["name"]!.GetValue<string>(), e["message"]!.GetValue<string>()))
            .ToList();
}
