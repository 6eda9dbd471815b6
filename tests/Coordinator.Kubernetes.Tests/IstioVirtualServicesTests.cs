using System.Text.Json;
using Coordinator.Kubernetes.Rollouts;

namespace Coordinator.Kubernetes.Tests;

/// <summary>A look reads a VirtualService from the cached JSON itself; a weight change writes a tree of its own.</summary>
public sealed class IstioVirtualServicesTests
{
    private static readonly JsonElement VirtualService = JsonDocument.Parse("""
        {"apiVersion":"networking.istio.io/v1alpha3","kind":"VirtualService",
         "metadata":{"name":"rollouts-demo-vsvc","namespace":"test","resourceVersion":"42"},
         "spec":{"gateways":["rollouts-demo-gateway"],"hosts":["*"],
                 "http":[{"name":"primary","route":[
                     {"destination":{"host":"rollouts-demo","subset":"s\u0031"},"weight":100},
                     {"destination":{"host":"rollouts-demo-canary"},"weight":0},
                     {"destination":{"host":"other"}}]},
                   {"name":"secondary","route":[{"destination":{"host":"rollouts-demo"}}]}],
                 "tls":[{"match":[{"sniHosts":["x"]}]}]}}
        """).RootElement.Clone();

    [Fact]
    public void A_look_reads_routes_destinations_and_weights_from_the_json()
    {
        var observed = IstioVirtualServices.ToObserved(VirtualService);

        Assert.Equal(("rollouts-demo-vsvc", "test"), (observed.Name, observed.Namespace));
        Assert.Equal(["primary", "secondary"], observed.HttpRoutes.Select(r => r.Name));
        var primary = observed.HttpRoutes[0].Destinations;
        Assert.Equal(["rollouts-demo", "rollouts-demo-canary", "other"], primary.Select(d => d.Host));
        Assert.Equal("s1", primary[0].Subset); // an escaped value is unescaped
        Assert.Equal([100, 0, null], primary.Select(d => d.Weight));
        Assert.True(observed.HasTlsRoutes);
        Assert.False(observed.HasTcpRoutes);
    }

    [Fact]
    public void A_weight_change_writes_a_new_tree_and_leaves_the_cached_json_alone()
    {
        var before = VirtualService.GetRawText();

        var updated = IstioVirtualServices.WithWeights(VirtualService, ["primary"], "rollouts-demo-canary", "rollouts-demo", 30, 70);

        Assert.NotNull(updated);
        var destinations = updated["spec"]!["http"]![0]!["route"]!.AsArray();
        Assert.Equal([70, 30], destinations.Take(2).Select(d => d!["weight"]!.GetValue<int>()));
        Assert.Equal("42", updated["metadata"]!["resourceVersion"]!.GetValue<string>()); // the precondition of the update
        Assert.Equal(before, VirtualService.GetRawText());
        Assert.Null(IstioVirtualServices.WithWeights(VirtualService, ["primary"], "rollouts-demo-canary", "rollouts-demo", 0, 100));
    }
}
