using System.Text.Json.Nodes;
using Coordinator.Grains.Tests.Infrastructure;
using static Coordinator.Grains.Tests.Infrastructure.TestCluster;

namespace Coordinator.Grains.Tests;

/// <summary>
/// <c>canaryMetadata</c> / <c>stableMetadata</c> (issue 10): the canary's and the stable's pod templates and running pods
/// carry their role's labels and annotations, and the new revision's switch from canary to stable at promotion.
/// </summary>
[Collection(CoordinatorCollection.Name)]
public sealed class EphemeralMetadataTests(CoordinatorFixture fixture)
{
    private const string EphemeralAnnotation = "rollout.argoproj.io/ephemeral-metadata";

    private static string Manifest => Manifests.Rollout(
        steps: ["setWeight: 20", "pause: {}"],
        canary: ["canaryMetadata: { labels: { role: canary }, annotations: { note: preview } }", "stableMetadata: { labels: { role: stable } }"]);

    [Fact]
    public async Task Canary_and_stable_pods_carry_their_metadata_and_the_canary_switches_at_promotion()
    {
        var cluster = await fixture.NewClusterAsync();
        var h1 = await cluster.ApplyHealthyAsync(Manifest);

        // A first revision becomes the stable one: created with the stable metadata, its pods carry it.
        await cluster.WaitUntilAsync(() => PodsOf(cluster, h1).Count == 1 && PodsOf(cluster, h1).All(p => Label(p, "role") == "stable"), "revision 1's pod labelled stable");
        Assert.Equal("stable", TemplateLabel(cluster, h1, "role"));
        Assert.Equal("{\"labels\":{\"role\":\"stable\"}}", cluster.Annotation(cluster.ReplicaSet(h1), EphemeralAnnotation));
        // The ReplicaSet's own labels stay the template's: the role is pod metadata only.
        Assert.Null(cluster.ReplicaSet(h1)["metadata"]?["labels"]?["role"]);

        cluster.SetImage("argoproj/rollouts-demo:yellow");
        var paused = await cluster.WaitForAsync(s => s.Phase == "Paused" && s.CurrentStepIndex == 1 && s.Replicas.Available == 2, "paused on the canary");
        var h2 = paused.CurrentPodHash;

        Assert.Equal("canary", TemplateLabel(cluster, h2, "role"));
        var canaryPod = Assert.Single(PodsOf(cluster, h2));
        Assert.Equal(("canary", "preview"), (Label(canaryPod, "role"), PodAnnotation(canaryPod, "note")));
        Assert.All(PodsOf(cluster, h1), p => Assert.Equal("stable", Label(p, "role")));

        await cluster.Rollout().Promote(full: true);
        await cluster.WaitForAsync(s => s.Phase == "Healthy" && s.StableHash == h2, "revision 2 promoted");

        // The new stable's template and its running pods switch: the canary's label and annotation give way to the stable's.
        await cluster.WaitUntilAsync(() => cluster.Annotation(cluster.ReplicaSet(h2), EphemeralAnnotation) == "{\"labels\":{\"role\":\"stable\"}}",
            "revision 2 annotated with the stable metadata");
        Assert.Equal("stable", TemplateLabel(cluster, h2, "role"));
        Assert.Null(cluster.ReplicaSet(h2)["spec"]?["template"]?["metadata"]?["annotations"]?["note"]);
        var promotedPods = PodsOf(cluster, h2);
        Assert.NotEmpty(promotedPods);
        Assert.All(promotedPods, p => Assert.Equal(("stable", (string?)null), (Label(p, "role"), PodAnnotation(p, "note"))));

        // The previous stable carries no ephemeral metadata any more.
        await cluster.WaitUntilAsync(() => cluster.Annotation(cluster.ReplicaSet(h1), EphemeralAnnotation) is null, "revision 1's metadata removed");
        Assert.Null(TemplateLabel(cluster, h1, "role"));
    }

    private static List<JsonObject> PodsOf(TestCluster cluster, string hash) =>
        [.. cluster.Sim.List("pods", Namespace, $"rollouts-pod-template-hash={hash}").Where(p => p["metadata"]?["deletionTimestamp"] is null)];

    private static string? TemplateLabel(TestCluster cluster, string hash, string key) =>
        cluster.ReplicaSet(hash)["spec"]?["template"]?["metadata"]?["labels"]?[key]?.GetValue<string>();

    private static string? Label(JsonObject pod, string key) => pod["metadata"]?["labels"]?[key]?.GetValue<string>();

    private static string? PodAnnotation(JsonObject pod, string key) => pod["metadata"]?["annotations"]?[key]?.GetValue<string>();
}
