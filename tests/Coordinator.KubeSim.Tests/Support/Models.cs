using k8s.Models;

namespace Coordinator.KubeSim.Tests.Support;

/// <summary>Typed objects as a KubernetesClient user writes them (no apiVersion/kind).</summary>
public static class Models
{
    public static V1Deployment Deployment(string name, string image = "img:1", int replicas = 1, string container = "c") => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = container, Image = image }] },
            },
        },
    };

    public static V1Service Service(string name, Dictionary<string, string> selector) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1ServiceSpec { Selector = selector, Ports = [new V1ServicePort { Port = 80, TargetPort = 8080 }] },
    };

    public static V1Service LabelledService(string name, Dictionary<string, string> labels) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80 }] },
    };
}
