using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Coordinator.KubeSim.Hosting;
using Coordinator.KubeSim.Tests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Coordinator.KubeSim.Tests;

/// <summary>A cluster with RBAC on: tokens become users, requests are authorized like the apiserver's RBAC authorizer.</summary>
public sealed class RbacTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    private static JsonObject Named(string name) => new() { ["metadata"] = new JsonObject { ["name"] = name } };

    private SimCluster RbacCluster(params string[] namespaces)
    {
        var cluster = fixture.NewCluster("rbac");
        foreach (var ns in namespaces) cluster.Create("namespaces", null, Named(ns));
        cluster.EnableRbac();
        return cluster;
    }

    private static string ServiceAccountToken(SimCluster cluster, string ns, string name)
    {
        cluster.Create("serviceaccounts", ns, Named(name));
        return cluster.CreateServiceAccountToken(ns, name);
    }

    private static Kubernetes Client(SimCluster cluster, string token) =>
        new(new KubernetesClientConfiguration { Host = cluster.ServerUrl, AccessToken = token });

    private static HttpClient Http(string token)
    {
        var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static void Grant(SimCluster cluster, string name, string rulesJson, string subjectNamespace, string subject, string? bindingNamespace = null)
    {
        var roleKind = bindingNamespace == null ? "ClusterRole" : "Role";
        cluster.Create(bindingNamespace == null ? "clusterroles" : "roles", bindingNamespace, Json($$"""{"metadata":{"name":"{{name}}"},"rules":{{rulesJson}}}"""));
        cluster.Create(bindingNamespace == null ? "clusterrolebindings" : "rolebindings", bindingNamespace, Json($$"""
            {"metadata":{"name":"{{name}}"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"{{roleKind}}","name":"{{name}}"},
             "subjects":[{"kind":"ServiceAccount","name":"{{subject}}","namespace":"{{subjectNamespace}}"}]}
            """));
    }

    [Fact]
    public async Task A_serviceaccount_without_bindings_gets_the_apiservers_403_status()
    {
        var cluster = RbacCluster("ref");
        var token = ServiceAccountToken(cluster, "ref", "limited");
        using var http = Http(token);

        var response = await http.GetAsync(cluster.ServerUrl + "/apis/apps/v1/namespaces/ref/replicasets");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(JsonNode.DeepEquals(Golden.Read("03-status-403.json"), body), body!.ToJsonString());
    }

    [Fact]
    public async Task The_forbidden_message_names_user_verb_resource_group_and_namespace()
    {
        var cluster = RbacCluster("coordinator");
        using var client = Client(cluster, ServiceAccountToken(cluster, "coordinator", "coordinator"));

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNamespacedPodAsync("test"));

        Assert.Equal(HttpStatusCode.Forbidden, e.Response.StatusCode);
        Assert.Contains("""pods is forbidden: User \"system:serviceaccount:coordinator:coordinator\" cannot list resource \"pods\" in API group \"\" in the namespace \"test""" + "\\\"",
            e.Response.Content);
        var clusterScope = await Assert.ThrowsAsync<HttpOperationException>(() => client.AppsV1.ListDeploymentForAllNamespacesAsync());
        Assert.Contains("""cannot list resource \"deployments\" in API group \"apps\" at the cluster scope""", clusterScope.Response.Content);
    }

    [Fact]
    public async Task Tokens_authenticate_discovery_is_open_to_authenticated_users_and_kubesim_stays_admin()
    {
        var cluster = RbacCluster("coordinator");
        var token = ServiceAccountToken(cluster, "coordinator", "coordinator");
        using var sa = Http(token);
        using var admin = Http("kubesim");
        using var nobody = new HttpClient();
        using var forged = Http("not-a-token");

        Assert.Equal(HttpStatusCode.OK, (await sa.GetAsync(cluster.ServerUrl + "/apis")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sa.GetAsync(cluster.ServerUrl + "/apis/apps/v1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await sa.GetAsync(cluster.ServerUrl + "/version")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(cluster.ServerUrl + "/api/v1/namespaces/test/pods")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync(cluster.ServerUrl + "/api/v1/namespaces/test/pods")).StatusCode);
        // No token: what kubectl sends over plain HTTP, served as the old insecure port did (cluster-admin).
        Assert.Equal(HttpStatusCode.OK, (await nobody.GetAsync(cluster.ServerUrl + "/api/v1/namespaces/test/pods")).StatusCode);

        // Deleting the ServiceAccount revokes its tokens.
        cluster.Delete("serviceaccounts", "coordinator", "coordinator");
        Assert.Equal(HttpStatusCode.Unauthorized, (await sa.GetAsync(cluster.ServerUrl + "/apis")).StatusCode);
    }

    [Fact]
    public async Task Rules_match_verbs_subresources_resource_names_and_wildcards()
    {
        var cluster = RbacCluster("coordinator");
        var token = ServiceAccountToken(cluster, "coordinator", "coordinator");
        cluster.Create("deployments", "test", Json("""
            {"metadata":{"name":"web"},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
             "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"img:1"}]}}}}
            """));
        Grant(cluster, "scaler", """
            [{"apiGroups":["apps"],"resources":["deployments/scale"],"verbs":["get","patch"]},
             {"apiGroups":["apps"],"resources":["deployments"],"resourceNames":["web"],"verbs":["get"]},
             {"apiGroups":["*"],"resources":["services"],"verbs":["list"]}]
            """, "coordinator", "coordinator", bindingNamespace: "test");
        using var client = Client(cluster, token);

        await client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("""{"spec":{"replicas":2}}""", V1Patch.PatchType.MergePatch), "web", "test");
        Assert.Equal(2, (await client.AppsV1.ReadNamespacedDeploymentAsync("web", "test")).Spec.Replicas);
        await client.CoreV1.ListNamespacedServiceAsync("test");

        var patch = await Assert.ThrowsAsync<HttpOperationException>(() => client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"replicas":3}}""", V1Patch.PatchType.MergePatch), "web", "test"));
        Assert.Contains("""deployments.apps \"web\" is forbidden: User \"system:serviceaccount:coordinator:coordinator\" cannot patch resource \"deployments\" in API group \"apps\" in the namespace \"test""" + "\\\"",
            patch.Response.Content);
        var list = await Assert.ThrowsAsync<HttpOperationException>(() => client.AppsV1.ListNamespacedDeploymentAsync("test"));
        Assert.Equal(HttpStatusCode.Forbidden, list.Response.StatusCode);
        var watch = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNamespacedServiceWithHttpMessagesAsync("test", watch: true));
        Assert.Contains("cannot watch resource \\\"services\\\"", watch.Response.Content);
        var otherNamespace = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNamespacedServiceAsync("default"));
        Assert.Equal(HttpStatusCode.Forbidden, otherNamespace.Response.StatusCode);
    }

    [Fact]
    public async Task Blocking_owner_deletion_needs_update_on_the_owners_finalizers()
    {
        var cluster = RbacCluster("coordinator");
        var token = ServiceAccountToken(cluster, "coordinator", "coordinator");
        var owner = cluster.Create("configmaps", "test", Json("""{"metadata":{"name":"rollouts-demo"}}"""));
        Grant(cluster, "rs-writer", """[{"apiGroups":["apps"],"resources":["replicasets"],"verbs":["create","delete"]}]""", "coordinator", "coordinator");
        using var client = Client(cluster, token);
        V1ReplicaSet OwnedBy(string name, string apiVersion, string kind, string ownerName, string uid, bool block) => new()
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                OwnerReferences = [new V1OwnerReference { ApiVersion = apiVersion, Kind = kind, Name = ownerName, Uid = uid, Controller = true, BlockOwnerDeletion = block }],
            },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = 0, Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "img:1" }] },
                },
            },
        };
        var uid = owner["metadata"]!["uid"]!.GetValue<string>();

        await client.AppsV1.CreateNamespacedReplicaSetAsync(OwnedBy("not-blocking", "v1", "ConfigMap", "rollouts-demo", uid, block: false), "test");
        var denied = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.AppsV1.CreateNamespacedReplicaSetAsync(OwnedBy("blocking", "v1", "ConfigMap", "rollouts-demo", uid, block: true), "test"));
        Assert.Equal(HttpStatusCode.Forbidden, denied.Response.StatusCode);
        Assert.Contains("""replicasets.apps \"blocking\" is forbidden: cannot set blockOwnerDeletion if an ownerReference refers to a resource you can't set finalizers on: , <nil>""",
            denied.Response.Content);
        var unmapped = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.AppsV1.CreateNamespacedReplicaSetAsync(OwnedBy("rollout-owned", "argoproj.io/v1alpha1", "Rollout", "rollouts-demo", uid, block: true), "test"));
        Assert.Contains("cannot find RESTMapping for APIVersion argoproj.io/v1alpha1 Kind Rollout", unmapped.Response.Content);
        Assert.Null(cluster.Get("replicasets", "test", "blocking"));

        Grant(cluster, "cm-finalizers", """[{"apiGroups":[""],"resources":["configmaps/finalizers"],"verbs":["update"]}]""", "coordinator", "coordinator");
        await client.AppsV1.CreateNamespacedReplicaSetAsync(OwnedBy("blocking", "v1", "ConfigMap", "rollouts-demo", uid, block: true), "test");
        Assert.NotNull(cluster.Get("replicasets", "test", "blocking"));
    }

    [Fact]
    public async Task A_token_secret_gets_a_token_that_acts_as_its_serviceaccount()
    {
        var cluster = RbacCluster("coordinator");
        cluster.Create("secrets", "coordinator", Json("""
            {"metadata":{"name":"coordinator-token","annotations":{"kubernetes.io/service-account.name":"coordinator"}},"type":"kubernetes.io/service-account-token"}
            """));
        await cluster.WhenControllersIdleAsync();
        Assert.Null(cluster.Get("secrets", "coordinator", "coordinator-token")!["data"]);

        // The ServiceAccount appears after its Secret (kubectl apply order does not matter).
        cluster.Create("serviceaccounts", "coordinator", Named("coordinator"));
        var secret = await Eventually.GetAsync(() => cluster.Get("secrets", "coordinator", "coordinator-token")!, s => s["data"]?["token"] != null, "token filled in");
        var token = Encoding.UTF8.GetString(Convert.FromBase64String(secret["data"]!["token"]!.GetValue<string>()));
        Assert.Equal("coordinator", Encoding.UTF8.GetString(Convert.FromBase64String(secret["data"]!["namespace"]!.GetValue<string>())));
        using var client = Client(cluster, token);

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ListNamespacedPodAsync("test"));
        Assert.Contains("system:serviceaccount:coordinator:coordinator", e.Response.Content);
    }

    [Fact]
    public async Task Kubectl_without_a_token_is_admin_and_applies_rbac_objects()
    {
        var cluster = RbacCluster("coordinator");
        using var kubectl = new Kubectl(fixture.Server, cluster);
        var role = Path.Combine(Path.GetDirectoryName(kubectl.KubeconfigPath)!, "role.yaml");
        await File.WriteAllTextAsync(role, """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: pod-reader
            rules:
              - apiGroups: [""]
                resources: ["pods"]
                verbs: ["get", "list", "watch"]
            """);

        var applied = await kubectl.RunAsync($"apply -f {role}");

        Assert.True(applied.ExitCode == 0, applied.Output);
        Assert.Contains("clusterrole.rbac.authorization.k8s.io/pod-reader created", applied.Stdout);
        var roles = await kubectl.RunAsync("get clusterroles");
        Assert.Contains("system:discovery", roles.Stdout);
    }
}
