using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Domain.Text;
using Coordinator.Kubernetes.Json;
using Coordinator.Kubernetes.Rollouts;
using k8s.Models;

namespace Coordinator.Kubernetes.Tests;

/// <summary>
/// What the watch caches keep is read through one table of strings: two versions of an object share their names and
/// values, and the trees a look builds read back exactly as the JSON the API server sent.
/// </summary>
public sealed class SharedJsonTests
{
    private const string ReplicaSet = """
        {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"rollouts-demo-687d76d795","namespace":"test","resourceVersion":"RV",
         "labels":{"app":"rollouts-demo","rollouts-pod-template-hash":"687d76d795"}},
         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"rollouts-demo"}},"template":{"metadata":{"labels":{"app":"rollouts-demo"}},
         "spec":{"containers":[{"name":"rollouts-demo","image":"argoproj/rollouts-demo:blue","ports":[{"containerPort":8080,"name":"http"}]}]}}}}
        """;

    [Fact]
    public void Two_versions_of_a_cached_object_share_their_strings()
    {
        var first = JsonSerializer.Deserialize<V1ReplicaSet>(ReplicaSet.Replace("RV", "41", StringComparison.Ordinal), KubernetesJsonOptions.SharedStrings)!;
        var second = JsonSerializer.Deserialize<V1ReplicaSet>(ReplicaSet.Replace("RV", "42", StringComparison.Ordinal), KubernetesJsonOptions.SharedStrings)!;

        Assert.Equal("rollouts-demo-687d76d795", second.Metadata.Name);
        Assert.Same(first.Metadata.Name, second.Metadata.Name);
        Assert.Same(first.Metadata.Labels["rollouts-pod-template-hash"], second.Metadata.Labels["rollouts-pod-template-hash"]);
        Assert.Same(first.Metadata.Labels.Keys.First(), second.Metadata.Labels.Keys.First());
        Assert.Same(first.Spec.Template.Spec.Containers[0].Image, second.Spec.Template.Spec.Containers[0].Image);
        Assert.Equal(("41", "42"), (first.Metadata.ResourceVersion, second.Metadata.ResourceVersion));
        Assert.Equal(8080, second.Spec.Template.Spec.Containers[0].Ports[0].ContainerPort);
    }

    [Theory]
    [InlineData("""{"a":1,"b":-2.50,"c":1e3,"d":true,"e":false,"f":null,"g":[1,"x",[{}],null],"h":{"i":{"j":"k"}}}""")]
    [InlineData("""{"escaped":"quote \" backslash \\ tab \t unicode \u00e9 \ud83d\ude00","\u006bey":"v"}""")]
    [InlineData("""{"empty":"","emptyObject":{},"emptyArray":[]}""")]
    public void A_shared_tree_reads_back_as_the_JSON_it_was_built_from(string json)
    {
        var tree = SharedJsonTree.ParseObject(Encoding.UTF8.GetBytes(json));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), tree), tree.ToJsonString());
        Assert.Equal(JsonNode.Parse(json)!.ToJsonString(), tree.ToJsonString());
    }

    [Fact]
    public void A_shared_tree_gives_numbers_as_any_type_and_its_copies_are_independent()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"route":[{"destination":{"host":"stable"},"weight":80},{"destination":{"host":"canary"},"weight":20}]}""");
        var first = SharedJsonTree.ParseObject(bytes);
        var second = SharedJsonTree.ParseObject(bytes);

        Assert.Equal(80, first["route"]![0]!["weight"]!.GetValue<int>());
        Assert.Equal(20L, first["route"]![1]!["weight"]!.GetValue<long>());
        Assert.Equal(80.0, first["route"]![0]!["weight"]!.GetValue<double>());
        first["route"]![0]!["weight"] = 0;
        Assert.Equal(80, second["route"]![0]!["weight"]!.GetValue<int>());
        Assert.Same(first["route"]![1]!["destination"]!["host"]!.GetValue<string>(), second["route"]![1]!["destination"]!["host"]!.GetValue<string>());
    }

    [Fact]
    public void Equal_templates_give_one_tree_that_threads_read_together()
    {
        var first = JsonSerializer.Deserialize<V1ReplicaSet>(ReplicaSet.Replace("RV", "41", StringComparison.Ordinal), KubernetesJsonOptions.Options)!;
        var second = JsonSerializer.Deserialize<V1ReplicaSet>(ReplicaSet.Replace("RV", "42", StringComparison.Ordinal), KubernetesJsonOptions.Options)!;
        var other = JsonSerializer.Deserialize<V1ReplicaSet>(ReplicaSet.Replace("blue", "yellow", StringComparison.Ordinal), KubernetesJsonOptions.Options)!;

        var tree = RolloutObserver.ToJson(first.Spec.Template);
        Assert.Same(tree, RolloutObserver.ToJson(second.Spec.Template));
        Assert.NotSame(tree, RolloutObserver.ToJson(other.Spec.Template));
        Assert.Equal("argoproj/rollouts-demo:yellow", RolloutObserver.ToJson(other.Spec.Template)["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Equal(KubernetesJson(first.Spec.Template), tree.ToJsonString());

        // Read from many threads at once, it reads as the template, including an empty object nobody read before.
        var withEmpty = JsonSerializer.Deserialize<V1PodTemplateSpec>("""{"metadata":{"annotations":{}},"spec":{"containers":[]}}""", KubernetesJsonOptions.Options)!;
        var shared = RolloutObserver.ToJson(withEmpty);
        var reads = Enumerable.Range(0, 8).AsParallel().WithDegreeOfParallelism(8)
            .Select(_ => (shared["metadata"]!["annotations"]!.AsObject().Count, shared["spec"]!["containers"]!.AsArray().Count, shared.DeepClone().ToJsonString()))
            .ToList();
        Assert.All(reads, read => Assert.Equal((0, 0, KubernetesJson(withEmpty)), read));
    }

    private static string KubernetesJson(V1PodTemplateSpec template) =>
        JsonNode.Parse(JsonSerializer.Serialize(template, KubernetesJsonOptions.Options))!.ToJsonString();

    [Fact]
    public void Long_strings_are_read_whole_and_not_shared()
    {
        var text = new string('x', SharedStrings.MaxLength * 3) + "é";
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { message = text }));
        var first = SharedJsonTree.ParseObject(bytes)["message"]!.GetValue<string>();
        var second = SharedJsonTree.ParseObject(bytes)["message"]!.GetValue<string>();
        Assert.Equal(text, first);
        Assert.NotSame(first, second);
    }
}
