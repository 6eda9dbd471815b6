using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.KubeSim.Tests.Support;
using Coordinator.Testing;
using k8s;
using k8s.Models;

namespace Coordinator.KubeSim.Tests;

/// <summary>Argo's Rollout CRD installed in a cluster: from then on the cluster serves rollouts.argoproj.io, until the CRD goes.</summary>
public sealed class CustomResourceDefinitionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{

    [Fact]
    public async Task A_crd_created_with_the_client_is_established_and_its_resource_is_served()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(cluster.ServerUrl + "/apis/argoproj.io/v1alpha1")).StatusCode);

        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(ArgoCrd.CrdFile));
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);

        var read = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("rollouts.argoproj.io");
        Assert.Equal(["NamesAccepted", "Established"], read.Status.Conditions.Select(c => c.Type));
        Assert.All(read.Status.Conditions, c => Assert.Equal("True", c.Status));
        Assert.Equal("InitialNamesAccepted", read.Status.Conditions[1].Reason);
        Assert.Equal(["v1alpha1"], read.Status.StoredVersions);
        Assert.Equal("None", read.Spec.Conversion.Strategy);
        Assert.Single((await client.ApiextensionsV1.ListCustomResourceDefinitionAsync()).Items);

        // Discovery as the real apiserver answered it (04-crd-discovery.json), but for the hash.
        var discovery = JsonNode.Parse(await http.GetStringAsync(cluster.ServerUrl + "/apis/argoproj.io/v1alpha1"))!;
        var golden = JsonNode.Parse(await File.ReadAllTextAsync(Golden.File("04-crd-discovery.json")))!;
        foreach (var i in new[] { 0, 1 })
        {
            foreach (var field in new[] { "name", "singularName", "namespaced", "kind", "shortNames", "categories" })
                Assert.True(JsonNode.DeepEquals(golden["resources"]![i]![field], discovery["resources"]![i]![field]), $"resources[{i}].{field}");
            Assert.Equal(Sorted(golden["resources"]![i]!["verbs"]), Sorted(discovery["resources"]![i]!["verbs"]));
        }
        var groups = JsonNode.Parse(await http.GetStringAsync(cluster.ServerUrl + "/apis"))!["groups"]!.AsArray();
        Assert.Contains(groups, g => g!["name"]!.GetValue<string>() == "argoproj.io" && g["preferredVersion"]!["version"]!.GetValue<string>() == "v1alpha1");
    }

    private static string[] Sorted(JsonNode? verbs) => verbs!.AsArray().Select(v => v!.GetValue<string>()).Order().ToArray();

    [Fact]
    public async Task Rollout_objects_can_be_created_read_listed_watched_and_have_a_status_subresource()
    {
        var cluster = fixture.NewCluster();
        ArgoCrd.Install(cluster);
        using var client = ServerFixture.Client(cluster);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var watched = CollectAsync(client, 2, stop.Token);
        await Eventually.TrueAsync(() => cluster.Requests.Count("watch", "rollouts") == 1, "watch started");

        var created = await client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonElement>(
            JsonSerializer.SerializeToElement(ArgoCrd.Rollout()), ArgoCrd.Group, ArgoCrd.Version, "test", "rollouts");
        Assert.Equal(1, created.GetProperty("metadata").GetProperty("generation").GetInt32());

        // The main resource ignores status; /status writes it (the CRD declares the subresource).
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch("""{"status":{"replicas":3}}""", V1Patch.PatchType.MergePatch),
            ArgoCrd.Group, ArgoCrd.Version, "test", "rollouts", "rollouts-demo");
        Assert.Null(cluster.Get("rollouts", "test", "rollouts-demo")!["status"]);
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch("""{"status":{"replicas":3}}""", V1Patch.PatchType.MergePatch),
            ArgoCrd.Group, ArgoCrd.Version, "test", "rollouts", "rollouts-demo");

        var got = await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(ArgoCrd.Group, ArgoCrd.Version, "test", "rollouts", "rollouts-demo");
        Assert.Equal(3, got.GetProperty("status").GetProperty("replicas").GetInt32());
        Assert.Equal("argoproj.io/v1alpha1", got.GetProperty("apiVersion").GetString());
        var list = await client.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(ArgoCrd.Group, ArgoCrd.Version, "test", "rollouts");
        Assert.Equal("RolloutList", list.GetProperty("kind").GetString());
        Assert.Equal(1, list.GetProperty("items").GetArrayLength());

        Assert.Equal([(WatchEventType.Added, "rollouts-demo"), (WatchEventType.Modified, "rollouts-demo")], await watched);
    }

    private static async Task<List<(WatchEventType, string)>> CollectAsync(Kubernetes client, int count, CancellationToken ct)
    {
        var events = new List<(WatchEventType, string)>();
        await foreach (var (type, o) in client.CustomObjects.WatchListNamespacedCustomObjectAsync(
                           ArgoCrd.Group, ArgoCrd.Version, "test", "rollouts", cancellationToken: ct))
        {
            events.Add((type, JsonSerializer.SerializeToElement(o).GetProperty("metadata").GetProperty("name").GetString()!));
            if (events.Count == count) break;
        }
        return events;
    }

    [Fact]
    public async Task Deleting_the_crd_deletes_its_objects_and_stops_serving_it()
    {
        var cluster = fixture.NewCluster();
        ArgoCrd.Install(cluster);
        cluster.Create("rollouts", "test", ArgoCrd.Rollout());
        using var client = ServerFixture.Client(cluster);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var watched = CollectAsync(client, 2, stop.Token);
        await Eventually.TrueAsync(() => cluster.Requests.Count("watch", "rollouts") == 1, "watch started");

        await client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("rollouts.argoproj.io");

        Assert.Equal([(WatchEventType.Added, "rollouts-demo"), (WatchEventType.Deleted, "rollouts-demo")], await watched);
        var e = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() =>
            client.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(ArgoCrd.Group, ArgoCrd.Version, "test", "rollouts"));
        Assert.Equal(HttpStatusCode.NotFound, e.Response.StatusCode);
        Assert.Throws<ArgumentException>(() => cluster.List("rollouts", "test"));

        // Installed again, it serves an empty collection: the old objects are gone for good.
        ArgoCrd.Install(cluster);
        Assert.Empty(cluster.List("rollouts", "test"));
    }

    [Fact]
    public async Task Kubectl_installs_the_crd_and_prints_rollouts_with_argos_columns()
    {
        var cluster = fixture.NewCluster("kubectl");
        using var kubectl = new Kubectl(fixture.Server, cluster);

        var crd = await kubectl.RunAsync($"apply -f {ArgoCrd.CrdFile}");
        Assert.True(crd.ExitCode == 0, crd.Output);
        var established = await kubectl.RunAsync("wait --for condition=established --timeout=10s crd/rollouts.argoproj.io");
        Assert.True(established.ExitCode == 0, established.Output);
        var created = await kubectl.RunAsync($"-n test create -f {ArgoRolloutCrd.RolloutFile}");
        Assert.True(created.ExitCode == 0, created.Output);
        Assert.Contains("rollout.argoproj.io/rollouts-demo created", created.Stdout);

        var table = (await kubectl.RunAsync("-n test get rollouts")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "DESIRED", "CURRENT", "UP-TO-DATE", "AVAILABLE", "AGE"], table[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["rollouts-demo", "3"], table[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..2]);
        var byShortName = await kubectl.RunAsync("-n test get ro rollouts-demo -o jsonpath={.spec.workloadRef.name}");
        Assert.True(byShortName.ExitCode == 0, byShortName.Output);
        Assert.Equal("rollouts-demo", byShortName.Stdout);

        var crds = (await kubectl.RunAsync("get crd")).Stdout;
        Assert.Contains("rollouts.argoproj.io", crds);
        var deleted = await kubectl.RunAsync("delete crd rollouts.argoproj.io");
        Assert.True(deleted.ExitCode == 0, deleted.Output);
        Assert.Empty(cluster.List("crd"));
    }
}
