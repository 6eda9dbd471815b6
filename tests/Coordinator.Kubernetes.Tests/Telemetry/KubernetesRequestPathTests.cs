using Coordinator.Kubernetes.Telemetry;

namespace Coordinator.Kubernetes.Tests.Telemetry;

/// <summary>A request's kind, namespace, name and verb as Argo's <c>controller_clientset_k8s_request_total</c> labels them.</summary>
public sealed class KubernetesRequestPathTests
{
    [Theory]
    [InlineData("GET", "http://127.0.0.1:7000/clusters/dev/apis/apps/v1/namespaces/test/replicasets?labelSelector=a%3Db", "replicasets", "test", "N/A", "List")]
    [InlineData("GET", "https://k8s:6443/apis/networking.istio.io/v1beta1/namespaces/test/virtualservices/rollouts-demo", "virtualservices", "test", "rollouts-demo", "Get")]
    [InlineData("PATCH", "https://k8s:6443/apis/apps/v1/namespaces/test/replicasets/rollouts-demo-abc/scale", "replicasets", "test", "rollouts-demo-abc", "Patch")]
    [InlineData("GET", "https://k8s:6443/api/v1/services?watch=true&resourceVersion=5", "services", "", "N/A", "Watch")]
    [InlineData("POST", "https://k8s:6443/api/v1/namespaces/test/events", "events", "test", "N/A", "Create")]
    [InlineData("PUT", "https://k8s:6443/api/v1/namespaces/test/configmaps/cm", "configmaps", "test", "cm", "Update")]
    [InlineData("DELETE", "https://k8s:6443/api/v1/namespaces/test/pods/p", "pods", "test", "p", "Delete")]
    [InlineData("GET", "https://k8s:6443/api/v1/namespaces/test", "namespaces", "", "test", "Get")]
    [InlineData("GET", "https://k8s:6443/version", "version", "", "N/A", "Get")]
    public void Reads_the_request_as_client_go_names_it(string method, string url, string kind, string ns, string name, string verb) =>
        Assert.Equal(new KubernetesRequestPath(kind, ns, name, verb), KubernetesRequestPath.Parse(new HttpMethod(method), new Uri(url)));
}
