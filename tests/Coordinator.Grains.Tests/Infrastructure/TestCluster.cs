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

    /// <summary>The Rollout's ReplicaSet for a pod-template hash.</summary>
    public JsonObject ReplicaSet(string hash) =>
        Sim.Get("replicasets", Namespace, $"{RolloutName}-{hash}") ?? throw new InvalidOperationException($"replicaset {RolloutName}-{hash} missing");

    /// <summary>spec.replicas of the Rollout's ReplicaSet for <paramref name="hash"/>.</summary>
    public int Replicas(string hash) => ReplicaSet(hash)["spec"]?["replicas"]?.GetValue<int>() ?? 1;

    public string? Annotation(JsonObject obj, string key) => obj["metadata"]?["annotations"]?[key]?.GetValue<string>();

    public string DeploymentImage() =>
        Sim.Get("deployments", Namespace, RolloutName)!["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>();

    public void ScaleDeployment(int replicas) =>
        Sim.Patch("deployments", Namespace, RolloutName, $"{{\"spec\":{{\"replicas\":{replicas}}}}}");

    /// <summary>Plays the kubelet where pods never turn Ready by themselves (<see cref="ManualPodsFixture"/>): every pending pod
    /// matching <paramref name="labelSelector"/> becomes Running and Ready.</summary>
    public void MakePodsReady(string? labelSelector = null)
    {
        foreach (var pod in Sim.List("pods", Namespace, labelSelector))
        {
            if (pod["status"]?["phase"]?.GetValue<string>() == "Running") continue;
            var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
            var status = new JsonObject
            {
                ["status"] = new JsonObject
                {
                    ["phase"] = "Running",
                    ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["lastTransitionTime"] = now }),
                },
            };
            Sim.Patch("pods", Namespace, pod["metadata"]!["name"]!.GetValue<string>(), status.ToJsonString(), status: true);
        }
    }

    public int DeploymentAvailable(string deployment) =>
        Sim.Get("deployments", Namespace, deployment)?["status"]?["availableReplicas"]?.GetValue<int>() ?? 0;

    /// <summary>The reason/message pairs of the Kubernetes Events emitted for the Rollout, oldest first.</summary>
    public IReadOnlyList<(string Reason, string Message)> RolloutEvents() =>
        TypedRolloutEvents().Select(e => (e.Reason, e.Message)).ToList();

    /// <summary>Type (Normal/Warning), reason and message of the Rollout's Kubernetes Events, oldest first.</summary>
    public IReadOnlyList<(string Type, string Reason, string Message)> TypedRolloutEvents() =>
        Sim.List("events", Namespace)
            .Where(e => e["involvedObject"]?["kind"]?.GetValue<string>() == "Rollout")
            .OrderBy(e => long.Parse(e["metadata"]!["resourceVersion"]!.GetValue<string>()))
            .Select(e => (e["type"]!.GetValue<string>(), e["reason"]!.GetValue<string>(), e["message"]!.GetValue<string>()))
            .ToList();

    /// <summary>
    /// The events appear in this order (others may come between them). An event is written right after the
    /// change it reports, so the last ones may still be on their way: wait for them, with a deadline.
    /// </summary>
    public async Task AssertEventsInOrderAsync(params (string Reason, string Message)[] expected)
    {
        string? missing = null;
        try
        {
            await WaitUntilAsync(() => (missing = FirstMissing(RolloutEvents(), expected)) is null, "the expected events are recorded", TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"event {missing} missing. Events:\n{string.Join("\n", RolloutEvents().Select(e => $"{e.Reason}: {e.Message}"))}");
        }
    }

    private static string? FirstMissing(IReadOnlyList<(string Reason, string Message)> events, (string Reason, string Message)[] expected)
    {
        var position = 0;
        foreach (var wanted in expected)
        {
            var found = events.Skip(position).ToList().FindIndex(e => e == wanted);
            if (found < 0) return wanted.ToString();
            position += found + 1;
        }
        return null;
    }

    /// <param name="replicas">Also sets the Deployment's replicas in the same write, as a GitOps sync applies a manifest.</param>
    public void SetImage(string image, int? replicas = null) =>
        Sim.Patch("deployments", Namespace, "rollouts-demo",
            "{\"spec\":{" + (replicas is { } n ? $"\"replicas\":{n}," : "")
            + "\"template\":{\"spec\":{\"$setElementOrder/containers\":[{\"name\":\"rollouts-demo\"}],\"containers\":[{\"image\":\"" + image + "\",\"name\":\"rollouts-demo\"}]}}}}",
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

    public const string StableService = "rollouts-demo";
    public const string CanaryService = "rollouts-demo-canary";

    /// <summary>Applies <paramref name="manifest"/> and waits for revision 1 to be Healthy with both Services selecting it; returns its hash.</summary>
    public async Task<string> ApplyHealthyAsync(string manifest)
    {
        await Rollout().Apply(manifest);
        var healthy = await WaitForAsync(s => s.Phase == "Healthy" && s.StableHash != "", "revision 1 healthy");
        await WaitUntilAsync(() => SelectorHash(StableService) == healthy.StableHash && SelectorHash(CanaryService) == healthy.StableHash,
            "both services select revision 1");
        return healthy.StableHash;
    }

    /// <summary>Sets the Deployment's image directly (as <c>kubectl set image deployment</c>) and waits for the update to be Healthy; returns the new hash.</summary>
    public async Task<string> UpdateToHealthyAsync(string image, int revision)
    {
        SetImage(image);
        var healthy = await WaitForAsync(s => s.Phase == "Healthy" && s.Revision == revision && s.StableHash == s.CurrentPodHash,
            $"revision {revision} healthy", TimeSpan.FromSeconds(60));
        return healthy.StableHash;
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
