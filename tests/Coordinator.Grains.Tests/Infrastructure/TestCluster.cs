using System.Text.Json.Nodes;
using Coordinator.Abstractions;
using Coordinator.KubeSim.Hosting;
using k8s;

namespace Coordinator.Grains.Tests.Infrastructure;

/// <summary>One simulated cluster of a test, with helpers to read its state and to drive its rollout grain.</summary>
public sealed class TestCluster(string name, SimCluster sim, CoordinatorFixture fixture)
{
    public const string Namespace = "test";
    public const string RolloutName = "rollouts-demo";

    public string Name { get; } = name;

    public SimCluster Sim { get; } = sim;

    public IRolloutGrain Rollout(string rollout = RolloutName) =>
        fixture.Grains.GetGrain<IRolloutGrain>(new RolloutKey(Name, Namespace, rollout).ToString());

    public IKubernetes NewClient() => new k8s.Kubernetes(new KubernetesClientConfiguration { Host = Sim.ServerUrl });

    public JsonObject Service(string name) => Sim.Get("services", Namespace, name) ?? throw new InvalidOperationException($"service {name} missing");

    public string? SelectorHash(string service) => Service(service)["spec"]?["selector"]?["rollouts-pod-template-hash"]?.GetValue<string>();

    public (int Stable, int Canary) Weights()
    {
        var route = Sim.Get("virtualservices.networking.istio.io", Namespace, "rollouts-demo")!["spec"]!["http"]![0]!["route"]!.AsArray();
        int WeightOf(string host) => route.First(d => d!["destination"]!["host"]!.GetValue<string>() == host)!["weight"]?.GetValue<int>() ?? 0;
        return (WeightOf("rollouts-demo"), WeightOf("rollouts-demo-canary"));
    }

    /// <summary>The Rollout's ReplicaSets (those with the rollouts hash label), by name.</summary>
    public IReadOnlyList<JsonObject> RolloutReplicaSets() => Sim.List("replicasets", Namespace, "rollouts-pod-template-hash");

    public int DeploymentAvailable(string deployment) =>
        Sim.Get("deployments", Namespace, deployment)?["status"]?["availableReplicas"]?.GetValue<int>() ?? 0;

    /// <summary>The reason/message pairs of the Kubernetes Events emitted for the Rollout, oldest first.</summary>
    public IReadOnlyList<(string Reason, string Message)> RolloutEvents() =>
        Sim.List("events", Namespace)
            .Where(e => e["involvedObject"]?["kind"]?.GetValue<string>() == "Rollout")
            .OrderBy(e => long.Parse(e["metadata"]!["resourceVersion"]!.GetValue<string>()))
            .Select(e => (e["reason"]!.GetValue<string>(), e["message"]!.GetValue<string>()))
            .ToList();

    public void SetImage(string image) =>
        Sim.Patch("deployments", Namespace, "rollouts-demo",
            "{\"spec\":{\"template\":{\"spec\":{\"$setElementOrder/containers\":[{\"name\":\"rollouts-demo\"}],\"containers\":[{\"image\":\"" + image + "\",\"name\":\"rollouts-demo\"}]}}}}",
            KubeSim.Patching.PatchKind.StrategicMerge);

    /// <summary>Polls the condition until it holds or the deadline passes (the one wait tests allow).</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting until {what} in cluster {Name}");
            await Task.Delay(20);
        }
    }

    public Task<RolloutSnapshot> WaitForPhaseAsync(string phase, TimeSpan? timeout = null) =>
        WaitForAsync(s => s.Phase == phase, $"phase {phase}", timeout);

    /// <summary>Follows the grain's change feed (no polling) until a snapshot satisfies <paramref name="condition"/>.</summary>
    public async Task<RolloutSnapshot> WaitForAsync(Func<RolloutSnapshot, bool> condition, string what, TimeSpan? timeout = null)
    {
        var grain = Rollout();
        var snapshot = await grain.Get();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!condition(snapshot))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"rollout in {Name} did not reach {what}; it is {snapshot.Phase} ({snapshot.Message}), step {snapshot.CurrentStepIndex}, revision {snapshot.Revision}");
            foreach (var change in await grain.ChangesSince(snapshot.Version, TimeSpan.FromSeconds(1)))
                snapshot = change;
        }
        return snapshot;
    }
}
