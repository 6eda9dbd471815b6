using System.Text.Json.Nodes;
using Coordinator.KubeSim.Hosting;
using Coordinator.KubeSim.Tests.Support;

namespace Coordinator.KubeSim.Tests;

/// <summary>
/// The fields a real apiserver and kube-controller-manager 1.24 add, which clients read, compared with the objects
/// captured after <c>kubectl create -f</c> of the seed manifests (01-*) and after <c>kubectl set image</c> (02-*).
/// </summary>
public sealed class GoldenObjectTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static JsonNode? At(JsonNode? node, params string[] path)
    {
        foreach (var p in path) node = node?[p];
        return node;
    }

    private static void Same(JsonNode? expected, JsonNode? actual, string what) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"{what}: expected {expected?.ToJsonString()}, got {actual?.ToJsonString()}");

    private async Task<(SimCluster Cluster, Kubectl Kubectl)> SeededAsync()
    {
        var (cluster, kubectl) = await Kubectl.SeededClusterAsync(fixture, "golden");
        await cluster.WhenControllersIdleAsync();
        return (cluster, kubectl);
    }

    [Fact]
    public async Task Created_pod_has_the_serviceaccount_token_volume_tolerations_and_defaults()
    {
        var (cluster, kubectl) = await SeededAsync();
        using var _ = kubectl;
        var golden = Golden.Read("01-created-pod-rollouts-demo-ffb596f87-jbnj6.json")["spec"]!;
        var pod = cluster.List("pods", "test").Single()["spec"]!;

        foreach (var field in new[] { "serviceAccountName", "serviceAccount", "enableServiceLinks", "priority", "preemptionPolicy", "tolerations", "dnsPolicy", "restartPolicy", "schedulerName", "terminationGracePeriodSeconds" })
            Same(golden[field], pod[field], "spec." + field);

        var volume = pod["volumes"]!.AsArray().Single()!;
        Assert.Matches("^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$", volume["name"]!.GetValue<string>());
        Same(At(golden, "volumes")![0]!["projected"], volume["projected"], "the projected token volume");
        var app = pod["containers"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "rollouts-demo")!;
        var mount = app["volumeMounts"]!.AsArray().Single()!;
        Assert.Equal(volume["name"]!.GetValue<string>(), mount["name"]!.GetValue<string>());
        Same(At(golden, "containers")![0]!["volumeMounts"]![0]!["mountPath"], mount["mountPath"], "mountPath");
        Assert.True(mount["readOnly"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Created_replicaset_has_the_deployment_annotations_a_null_template_timestamp_and_its_status()
    {
        var (cluster, kubectl) = await SeededAsync();
        using var _ = kubectl;
        var golden = Golden.Read("01-created-replicaset-rollouts-demo-ffb596f87.json");
        var rs = cluster.List("replicasets", "test").Single();

        Same(At(golden, "metadata", "annotations"), At(rs, "metadata", "annotations"), "annotations");
        var templateMeta = At(rs, "spec", "template", "metadata")!.AsObject();
        Assert.True(templateMeta.ContainsKey("creationTimestamp") && templateMeta["creationTimestamp"] is null, templateMeta.ToJsonString());
        Same(golden["status"], rs["status"], "status");
        Same(At(golden, "metadata", "ownerReferences")![0]!["blockOwnerDeletion"], At(rs, "metadata", "ownerReferences")![0]!["blockOwnerDeletion"], "blockOwnerDeletion");
    }

    [Fact]
    public async Task After_set_image_the_deployment_and_both_replicasets_look_as_the_controllers_left_them()
    {
        var (cluster, kubectl) = await SeededAsync();
        using var _ = kubectl;
        var set = await kubectl.RunAsync("-n test set image deployment rollouts-demo rollouts-demo=argoproj/rollouts-demo:yellow");
        Assert.True(set.ExitCode == 0, set.Output);
        // One listing per probe: the deployment controller may create or delete a pod between two.
        await Eventually.TrueAsync(() => cluster.List("pods", "test") is { Count: 1 } pods
            && pods.Single()["spec"]!["containers"]![0]!["image"]!.GetValue<string>().EndsWith(":yellow", StringComparison.Ordinal)
            && cluster.Get("deploy", "test", "rollouts-demo")!["status"]?["updatedReplicas"]?.GetValue<long>() == 1
            && cluster.Get("deploy", "test", "rollouts-demo")!["status"]?["replicas"]?.GetValue<long>() == 1, "rolled out to yellow");
        await cluster.WhenControllersIdleAsync();

        var golden = Golden.Read("02-after-set-image-deployment-rollouts-demo.json");
        var deployment = cluster.Get("deploy", "test", "rollouts-demo")!;
        Same(At(golden, "metadata", "annotations"), At(deployment, "metadata", "annotations"), "deployment annotations");
        Same(At(golden, "metadata", "generation"), At(deployment, "metadata", "generation"), "generation");
        Assert.True(At(deployment, "spec", "template", "metadata")!.AsObject().ContainsKey("creationTimestamp"));
        var goldenStatus = golden["status"]!.AsObject();
        var status = deployment["status"]!.AsObject();
        Assert.Equal(goldenStatus.Select(p => p.Key).Order(), status.Select(p => p.Key).Order());
        foreach (var field in new[] { "availableReplicas", "observedGeneration", "readyReplicas", "replicas", "updatedReplicas" })
            Same(goldenStatus[field], status[field], "status." + field);
        var newName = cluster.List("replicasets", "test").Single(r => At(r, "metadata", "annotations", "deployment.kubernetes.io/revision")!.GetValue<string>() == "2")["metadata"]!["name"]!.GetValue<string>();
        var goldenConditions = goldenStatus["conditions"]!.AsArray();
        var conditions = status["conditions"]!.AsArray();
        Assert.Equal(goldenConditions.Count, conditions.Count);
        for (var i = 0; i < conditions.Count; i++)
        {
            foreach (var field in new[] { "type", "status", "reason" }) Same(goldenConditions[i]![field], conditions[i]![field], $"conditions[{i}].{field}");
            Assert.Equal(goldenConditions[i]!["message"]!.GetValue<string>().Replace("rollouts-demo-69bd44c799", newName, StringComparison.Ordinal),
                conditions[i]!["message"]!.GetValue<string>());
        }

        var goldenSets = Golden.Read("02-after-set-image-replicasets.json")["items"]!.AsArray();
        foreach (var revision in new[] { "1", "2" })
        {
            static bool Is(JsonNode? rs, string r) => At(rs, "metadata", "annotations", "deployment.kubernetes.io/revision")!.GetValue<string>() == r;
            var expected = goldenSets.Single(r => Is(r, revision));
            var actual = cluster.List("replicasets", "test").Single(r => Is(r, revision));
            Same(At(expected, "metadata", "annotations"), At(actual, "metadata", "annotations"), $"revision {revision} annotations");
            Same(At(expected, "spec", "replicas"), At(actual, "spec", "replicas"), $"revision {revision} spec.replicas");
            Assert.Equal(expected!["status"]!.AsObject().Select(p => p.Key).Order(), actual["status"]!.AsObject().Select(p => p.Key).Order());
            Same(At(expected, "status", "replicas"), At(actual, "status", "replicas"), $"revision {revision} status.replicas");
        }
    }
}
