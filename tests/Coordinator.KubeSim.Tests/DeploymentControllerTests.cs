using Coordinator.KubeSim.Tests.Support;
using k8s;
using k8s.Models;

namespace Coordinator.KubeSim.Tests;

public sealed class DeploymentControllerTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Deployment_gets_a_hashed_replicaset_and_ready_pods_with_true_status()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        var created = await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", replicas: 2), "test");

        var d = await Eventually.GetAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync("web", "test"),
            d => d.Status?.ReadyReplicas == 2 && d.Status.AvailableReplicas == 2 && d.Status.UpdatedReplicas == 2, "deployment ready");
        Assert.Equal(d.Metadata.Generation, d.Status.ObservedGeneration);
        Assert.Contains(d.Status.Conditions, c => c.Type == "Available" && c.Status == "True");
        Assert.Contains(d.Status.Conditions, c => c.Type == "Progressing" && c.Reason == "NewReplicaSetAvailable");
        Assert.Equal("1", d.Metadata.Annotations["deployment.kubernetes.io/revision"]);

        var rs = Assert.Single((await client.AppsV1.ListNamespacedReplicaSetAsync("test")).Items);
        var hash = rs.Metadata.Labels["pod-template-hash"];
        Assert.Matches("^[bcdfghjklmnpqrstvwxz2456789]{1,10}$", hash);
        Assert.Equal($"web-{hash}", rs.Metadata.Name);
        Assert.Equal(hash, rs.Spec.Selector.MatchLabels["pod-template-hash"]);
        var owner = Assert.Single(rs.Metadata.OwnerReferences);
        Assert.Equal((created.Metadata.Uid, true), (owner.Uid, owner.Controller == true));
        Assert.Equal("1", rs.Metadata.Annotations["deployment.kubernetes.io/revision"]);

        var pods = (await client.CoreV1.ListNamespacedPodAsync("test")).Items;
        Assert.Equal(2, pods.Count);
        Assert.All(pods, p =>
        {
            Assert.Matches($"^web-{hash}-[bcdfghjklmnpqrstvwxz2456789]{{5}}$", p.Metadata.Name);
            Assert.Equal("Running", p.Status.Phase);
            Assert.Equal(["c", "istio-proxy"], p.Spec.Containers.Select(c => c.Name).ToArray()); // namespace has istio-injection=enabled
            Assert.All(p.Status.ContainerStatuses, s => Assert.True(s.Ready));
        });

        var events = (await client.CoreV1.ListNamespacedEventAsync("test")).Items;
        Assert.Contains(events, e => e.Reason == "ScalingReplicaSet" && e.Message == $"Scaled up replica set web-{hash} from 0 to 2");
    }

    [Fact]
    public async Task Deployment_adopts_orphans_matching_its_selector_and_never_a_replicaset_with_another_controller()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        var owner = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "web.rollout" } }, "test");
        V1ReplicaSet ReplicaSet(string name, V1OwnerReference? controller) => new()
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = new Dictionary<string, string> { ["app"] = "web", ["rollouts-pod-template-hash"] = name },
                OwnerReferences = controller is null ? null : [controller],
            },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web", ["rollouts-pod-template-hash"] = name } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web", ["rollouts-pod-template-hash"] = name } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "img:other" }] },
                },
            },
        };
        await client.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("orphan", null), "test");
        await client.AppsV1.CreateNamespacedReplicaSetAsync(ReplicaSet("owned", new V1OwnerReference
        {
            ApiVersion = "v1", Kind = "ConfigMap", Name = "web.rollout", Uid = owner.Metadata.Uid, Controller = true, BlockOwnerDeletion = true,
        }), "test");

        var deployment = await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", replicas: 1), "test");
        await Eventually.GetAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync("web", "test"), d => d.Status?.AvailableReplicas == 1, "web ready");

        // The orphan is the Deployment's now (and, not matching its template, an old ReplicaSet scaled to 0)...
        var orphan = await Eventually.GetAsync(() => client.AppsV1.ReadNamespacedReplicaSetAsync("orphan", "test"), rs => rs.Spec.Replicas == 0, "orphan adopted and scaled down");
        Assert.Equal(deployment.Metadata.Uid, Assert.Single(orphan.Metadata.OwnerReferences).Uid);
        // ...while a ReplicaSet controlled by anything else keeps its controller and its pods.
        var owned = await client.AppsV1.ReadNamespacedReplicaSetAsync("owned", "test");
        Assert.Equal(owner.Metadata.Uid, Assert.Single(owned.Metadata.OwnerReferences).Uid);
        Assert.Equal(1, owned.Spec.Replicas);
    }

    [Fact]
    public async Task Set_image_rolls_to_a_new_replicaset_and_scales_the_old_one_to_zero()
    {
        var cluster = fixture.NewCluster();
        using var client = ServerFixture.Client(cluster);
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", image: "img:blue", replicas: 2), "test");
        await Eventually.GetAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync("web", "test"), d => d.Status?.AvailableReplicas == 2, "blue ready");
        var blue = Assert.Single((await client.AppsV1.ListNamespacedReplicaSetAsync("test")).Items).Metadata.Name;

        await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(
            """{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"c"}],"containers":[{"image":"img:yellow","name":"c"}]}}}}""",
            V1Patch.PatchType.StrategicMergePatch), "web", "test");

        var d = await Eventually.GetAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync("web", "test"),
            d => d.Status?.ObservedGeneration == 2 && d.Status.UpdatedReplicas == 2 && d.Status.AvailableReplicas == 2 && d.Status.Replicas == 2,
            "yellow rolled out");
        Assert.Equal("2", d.Metadata.Annotations["deployment.kubernetes.io/revision"]);
        var sets = (await client.AppsV1.ListNamespacedReplicaSetAsync("test")).Items;
        Assert.Equal(2, sets.Count);
        var old = sets.Single(r => r.Metadata.Name == blue);
        var yellow = sets.Single(r => r.Metadata.Name != blue);
        Assert.Equal(0, old.Spec.Replicas);
        Assert.Equal(2, yellow.Spec.Replicas);
        Assert.Equal("img:yellow", yellow.Spec.Template.Spec.Containers[0].Image);
        var pods = await Eventually.GetAsync(() => client.CoreV1.ListNamespacedPodAsync("test"), l => l.Items.Count == 2, "old pods gone");
        Assert.All(pods.Items, p => Assert.Equal("img:yellow", p.Spec.Containers[0].Image));
        var events = (await client.CoreV1.ListNamespacedEventAsync("test")).Items;
        Assert.Contains(events, e => e.Message.StartsWith($"Scaled down replica set {blue} from", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scaling_a_deployment_scales_its_replicaset_and_deletes_pods()
    {
        using var client = ServerFixture.Client(fixture.NewCluster());
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", replicas: 3), "test");
        await Eventually.GetAsync(() => client.CoreV1.ListNamespacedPodAsync("test"), l => l.Items.Count == 3, "3 pods");

        await client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("""{"spec":{"replicas":1}}""", V1Patch.PatchType.MergePatch), "web", "test");

        await Eventually.GetAsync(() => client.CoreV1.ListNamespacedPodAsync("test"), l => l.Items.Count == 1, "1 pod");
        await Eventually.GetAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync("web", "test"), d => d.Status?.Replicas == 1 && d.Status.ReadyReplicas == 1, "status 1");
    }

    [Fact]
    public async Task Seed_loads_the_seed_scenario_with_a_ready_pod()
    {
        var cluster = fixture.NewCluster("seed", withTestNamespace: false);
        cluster.LoadSeed();
        using var client = ServerFixture.Client(cluster);

        var d = await Eventually.GetAsync(() => client.AppsV1.ReadNamespacedDeploymentAsync("rollouts-demo", "test"), d => d.Status?.ReadyReplicas == 1, "seed ready");
        Assert.Equal("argoproj/rollouts-demo:blue", d.Spec.Template.Spec.Containers[0].Image);
        Assert.Equal("32Mi", d.Spec.Template.Spec.Containers[0].Resources.Requests["memory"].ToString());
        Assert.Equal(2, (await client.CoreV1.ListNamespacedServiceAsync("test")).Items.Count);
        var pod = Assert.Single((await client.CoreV1.ListNamespacedPodAsync("test")).Items);
        Assert.Equal(2, pod.Spec.Containers.Count);
        Assert.Single(cluster.List("virtualservices", "test"));
        Assert.Equal("enabled", cluster.Get("ns", null, "test")!["metadata"]!["labels"]!["istio-injection"]!.GetValue<string>());
    }
}
