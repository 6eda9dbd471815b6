using Coordinator.Deploy.Tests.Support;
using k8s.Models;

namespace Coordinator.Deploy.Tests;

/// <summary>
/// deploy/kubernetes/coordinator/60-networkpolicy.yaml: the namespace denies ingress by default, the silo and gateway ports
/// admit only the silo pods, and the API ports admit the clients the policy names.
/// </summary>
public sealed class NetworkPolicyTests
{
    private static readonly string[] OrleansPorts = ["silo", "gateway"];
    private static readonly string[] ApiPorts = ["grpc", "http"];

    private static List<V1NetworkPolicy> Policies() =>
        Manifests.LoadDir(Manifests.SiloDir).Select(o => o.Object).OfType<V1NetworkPolicy>().ToList();

    private static V1Deployment Deployment() => Manifests.Single<V1Deployment>(Manifests.SiloDir);

    private static IDictionary<string, string> SiloLabels() => Deployment().Spec.Template.Metadata.Labels;

    private static bool Selects(V1LabelSelector? selector, IDictionary<string, string> labels) =>
        selector is not null
        && (selector.MatchExpressions == null || selector.MatchExpressions.Count == 0)
        && (selector.MatchLabels ?? new Dictionary<string, string>()).All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);

    /// <summary>The container port names a policy port stands for (a name, a number, or every port when null).</summary>
    private static IEnumerable<string> PortNames(V1NetworkPolicyPort? port)
    {
        var ports = Assert.Single(Deployment().Spec.Template.Spec.Containers).Ports;
        if (port?.Port is null) return ports.Select(p => p.Name);
        return ports.Where(p => p.Name == port.Port.Value || p.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) == port.Port.Value).Select(p => p.Name);
    }

    /// <summary>Every (source, port name) an ingress rule of a policy selecting the silo pods admits; a null source is anyone.</summary>
    private static List<(V1NetworkPolicyPeer? From, string Port)> AdmittedToSilos() =>
        Policies()
            .Where(p => Selects(p.Spec.PodSelector, SiloLabels()))
            .SelectMany(p => p.Spec.Ingress ?? [])
            .SelectMany(rule => ((IEnumerable<V1NetworkPolicyPeer?>?)rule.FromProperty is { } from && rule.FromProperty.Count > 0 ? from : [null])
                .SelectMany(peer => (rule.Ports is { Count: > 0 } ports ? ports.SelectMany(PortNames) : PortNames(null)).Select(port => (peer, port))))
            .ToList();

    [Fact]
    public void The_namespace_denies_all_ingress_by_default()
    {
        var deny = Policies().Where(p => p.Spec.PodSelector.MatchLabels is null or { Count: 0 } && p.Spec.PodSelector.MatchExpressions is null or { Count: 0 }).ToList();
        var policy = Assert.Single(deny);
        Assert.Contains("Ingress", policy.Spec.PolicyTypes);
        Assert.True(policy.Spec.Ingress is null or { Count: 0 }, "the default policy admits nothing");
        Assert.All(Policies(), p => Assert.Equal(Manifests.Single<V1Namespace>(Manifests.SiloDir).Metadata.Name, p.Metadata.NamespaceProperty));
    }

    [Fact]
    public void Silo_and_gateway_ports_admit_only_the_silo_pods()
    {
        var admitted = AdmittedToSilos().Where(a => OrleansPorts.Contains(a.Port)).ToList();
        Assert.Equal(OrleansPorts.Order(), admitted.Select(a => a.Port).Distinct().Order()); // silos can reach each other
        foreach (var (from, port) in admitted)
        {
            Assert.True(from != null, $"port {port} is open to anyone");
            Assert.Null(from!.NamespaceSelector); // a podSelector alone: pods of this namespace
            Assert.Null(from.IpBlock);
            Assert.True(Selects(from.PodSelector, SiloLabels()) && from.PodSelector.MatchLabels.Count > 0, $"port {port} admits pods that are not silos");
        }
    }

    [Fact]
    public void The_api_ports_admit_labelled_client_namespaces_and_pods_only()
    {
        var admitted = AdmittedToSilos().Where(a => ApiPorts.Contains(a.Port)).ToList();
        Assert.Equal(ApiPorts.Order(), admitted.Select(a => a.Port).Distinct().Order());
        foreach (var (from, port) in admitted)
        {
            Assert.True(from != null, $"port {port} is open to anyone");
            Assert.Null(from!.IpBlock);
            var selector = from.NamespaceSelector ?? from.PodSelector;
            Assert.True(selector?.MatchLabels is { Count: > 0 }, $"port {port} admits every pod or namespace");
        }
    }
}
